// The `hookd` command: picks the subcommand, builds the config once, and turns bad settings into exit code 2.
import { ConfigError, loadConfig } from '../config/load-config.js';
import { HookdError } from '../domain/errors.js';
import { HOOKD_VERSION } from '../runtime/version.js';
import { HookdApiError, HookdConnectionError } from '@hookd/client';
import { didYouMean } from '../config/closest-word.js';
import {
  commandHelp,
  DELIVERIES_HELP,
  EVENT_TYPES_HELP,
  EVENTS_HELP,
  PUBLISH_HELP,
  STATS_HELP,
  WEBHOOKS_HELP,
} from './api-help.js';
import { deliveriesCommand, DELIVERIES_USAGE } from './deliveries.js';
import { eventTypesCommand, EVENT_TYPES_USAGE } from './event-types.js';
import { eventsCommand, EVENTS_USAGE } from './events.js';
import { unknownSubcommand } from './api-options.js';
import { CommandFailed } from './command-failed.js';
import { helpText } from './help.js';
import { listenCommand } from './listen.js';
import { publishCommand, PUBLISH_USAGE } from './publish.js';
import { statsCommand, STATS_USAGE } from './stats.js';
import { webhooksCommand, WEBHOOKS_USAGE } from './webhooks.js';

const EXIT_BAD_CONFIG = 2;
const EXIT_FAILED = 1;
/** Every command name, for "did you mean" when one is mistyped. */
const COMMANDS = [
  ...['serve', 'worker', 'migrate', 'keys', 'encryption', 'listen', 'publish', 'webhooks', 'deliveries'],
  ...['events', 'event-types', 'stats', 'help', 'version', '--help', '--version'],
];
const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;
const KEYS_SUBCOMMANDS = ['create', 'list', 'revoke'];
const KEYS_USAGE =
  'hookd keys create [--workspace <name|id>] [--name <label>] [--admin] | hookd keys list [--workspace <name|id>] | hookd keys revoke <key id>';
const ENCRYPTION_USAGE = 'hookd encryption rotate (with HOOKD_ENCRYPTION_KEY and HOOKD_ENCRYPTION_OLD_KEYS set)';

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
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
      const { config, positionals, extras } = loadConfig(
        rest,
        process.env,
        HELP_FLAG,
        command === 'worker' ? 'worker' : undefined,
      );
      if (extras.help) return void process.stdout.write(helpText(HOOKD_VERSION));
      if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}"; run hookd --help`);
      // Loaded only when asked for: the server, its store and Fastify take most of a second to import, which every
      // `hookd publish` or `hookd webhooks list` would otherwise pay.
      if (command === 'migrate') return (await import('./migrate.js')).migrateCommand(config);
      return (await import('./serve.js')).serveCommand(config);
    }
    case 'keys':
      return keysMain(rest);
    case 'encryption': {
      const { config, positionals, extras } = loadConfig(rest, process.env, HELP_FLAG);
      if (extras.help) return void process.stdout.write(helpText(HOOKD_VERSION));
      if (positionals[0] !== 'rotate')
        throw unknownSubcommand('encryption', positionals[0], ['rotate'], ENCRYPTION_USAGE);
      if (positionals.length > 1)
        throw new ConfigError(`unexpected argument "${positionals[1]}"; usage: ${ENCRYPTION_USAGE}`);
      return (await import('./encryption.js')).encryptionRotateCommand(config);
    }
    case 'listen':
      return listenCommand(rest, process.env, () => helpText(HOOKD_VERSION));
    case 'publish':
      return publishCommand(rest, process.env, () => commandHelp(HOOKD_VERSION, PUBLISH_USAGE, PUBLISH_HELP));
    case 'webhooks':
      return webhooksCommand(rest, process.env, () => commandHelp(HOOKD_VERSION, WEBHOOKS_USAGE, WEBHOOKS_HELP));
    case 'deliveries':
      return deliveriesCommand(rest, process.env, () => commandHelp(HOOKD_VERSION, DELIVERIES_USAGE, DELIVERIES_HELP));
    case 'events':
      return eventsCommand(rest, process.env, () => commandHelp(HOOKD_VERSION, EVENTS_USAGE, EVENTS_HELP));
    case 'event-types':
      return eventTypesCommand(rest, process.env, () =>
        commandHelp(HOOKD_VERSION, EVENT_TYPES_USAGE, EVENT_TYPES_HELP),
      );
    case 'stats':
      return statsCommand(rest, process.env, () => commandHelp(HOOKD_VERSION, STATS_USAGE, STATS_HELP));
    default:
      throw new ConfigError(`unknown command "${command}"${didYouMean(command, COMMANDS)}; run hookd --help`);
  }
}

/** `hookd keys create|list|revoke`: API keys, straight on the store (no server needed). */
async function keysMain(rest: string[]): Promise<void> {
  const options = {
    ...HELP_FLAG,
    workspace: { type: 'string' },
    name: { type: 'string' },
    admin: { type: 'boolean' },
  } as const;
  const { config, positionals, extras } = loadConfig(rest, process.env, options);
  if (extras.help) return void process.stdout.write(helpText(HOOKD_VERSION));
  const keys = await import('./keys.js');
  const [action, ...args] = positionals;
  if (action === undefined || !KEYS_SUBCOMMANDS.includes(action))
    throw unknownSubcommand('keys', action, KEYS_SUBCOMMANDS, KEYS_USAGE);
  if (action === 'create' && args.length === 0) {
    return keys.keysCreateCommand(config, {
      workspace: extras.workspace as string | undefined,
      name: extras.name as string | undefined,
      admin: extras.admin === true,
    });
  }
  if (action === 'list' && args.length === 0)
    return keys.keysListCommand(config, { workspace: extras.workspace as string | undefined });
  if (action === 'revoke' && args.length === 1) return keys.keysRevokeCommand(config, args[0]!);
  throw new ConfigError(`usage: ${KEYS_USAGE}`);
}

export function main(argv: string[]): void {
  run(argv).catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`hookd: ${error.message}\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    // The server answered no, or could not be reached: one line, no stack (the request is named, the key never is).
    if (error instanceof HookdApiError) {
      process.stderr.write(`hookd: ${error.status} ${error.code}: ${error.message} (${error.request})\n`);
      process.exit(EXIT_FAILED);
    }
    // A refusal from a command that works on the database itself (`hookd keys revoke` of an unknown key, say).
    if (error instanceof HookdError) {
      process.stderr.write(`hookd: ${error.message}\n`);
      process.exit(EXIT_FAILED);
    }
    if (error instanceof HookdConnectionError || error instanceof CommandFailed) {
      process.stderr.write(`hookd: ${error.message}\n`);
      process.exit(EXIT_FAILED);
    }
    process.stderr.write(`hookd: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_FAILED);
  });
}
