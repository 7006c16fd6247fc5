// The `hookd` command: picks the subcommand, builds the config once, and turns bad settings into exit code 2.
import { ConfigError, loadConfig } from '../config/load-config.js';
import { HOOKD_VERSION } from '../runtime/version.js';
import { helpText } from './help.js';
import { keysCreateCommand } from './keys.js';
import { listenCommand } from './listen.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';

const EXIT_BAD_CONFIG = 2;

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const help = { help: { type: 'boolean', short: 'h' } } as const;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(helpText(HOOKD_VERSION));
      return;
    case '--version':
    case 'version':
      process.stdout.write(`${HOOKD_VERSION}\n`);
      return;
    case 'serve':
    case 'worker':
    case 'migrate': {
      const { config, positionals, extras } = loadConfig(rest, process.env, help, command === 'worker' ? 'worker' : undefined);
      if (extras.help) return void process.stdout.write(helpText(HOOKD_VERSION));
      if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}"; run hookd --help`);
      return command === 'migrate' ? migrateCommand(config) : serveCommand(config);
    }
    case 'keys': {
      const options = { ...help, workspace: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' } } as const;
      const { config, positionals, extras } = loadConfig(rest, process.env, options);
      if (extras.help) return void process.stdout.write(helpText(HOOKD_VERSION));
      if (positionals[0] !== 'create' || positionals.length > 1) throw new ConfigError('usage: hookd keys create [--workspace <name|id>] [--name <label>] [--admin]');
      return keysCreateCommand(config, {
        workspace: extras.workspace as string | undefined,
        name: extras.name as string | undefined,
        admin: extras.admin === true,
      });
    }
    case 'listen':
      return listenCommand(rest, () => helpText(HOOKD_VERSION));
    default:
      throw new ConfigError(`unknown command "${command}"; run hookd --help`);
  }
}

export function main(argv: string[]): void {
  run(argv).catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`hookd: ${error.message}\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    process.stderr.write(`hookd: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
