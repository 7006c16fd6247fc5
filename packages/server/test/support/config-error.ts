// The ConfigError that loading a command line and environment throws: for the tests of bad settings.
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

/** The ConfigError that loading `argv` with `env` throws; any other outcome throws, failing the test. */
export function configError(argv: string[], env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig(${JSON.stringify(argv)}, ${JSON.stringify(env)}) did not throw`);
}
