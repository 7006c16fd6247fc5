// A bad setting or bad usage: the CLI prints the message on one line and exits with 2.
export class ConfigError extends Error {
  override name = 'ConfigError';
}
