// Records errors that escape every handler (unhandled rejections, uncaught exceptions): in a real process they would end it.
import { inspect } from 'node:util';

export interface ProcessErrorWatch {
  /** One line per error seen since the watch began. */
  errors: string[];
  stop(): void;
}

export function watchProcessErrors(): ProcessErrorWatch {
  const errors: string[] = [];
  const onRejection = (reason: unknown) => errors.push(`unhandledRejection: ${inspect(reason).slice(0, 2_000)}`);
  const onException = (error: Error) => errors.push(`uncaughtException: ${inspect(error).slice(0, 2_000)}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    errors,
    stop: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
