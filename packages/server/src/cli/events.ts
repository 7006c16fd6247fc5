// `hookd events list|get`: the events published to a running hookd, through @hookd/client.
import { dataOf, type PublishedEvent } from '@hookd/client';
import {
  expectPositionals,
  runApiSubcommand,
  printJson,
  type ApiCommandLine,
  type ApiSubcommand,
} from './api-options.js';
import { compactJson, fieldList } from './field-list.js';
import { listSubcommand } from './list-pages.js';
import { tableOf } from './table.js';

export const EVENTS_USAGE = 'hookd events list [--limit N] [--cursor C] | get EVENT_ID';

const describeEvents = tableOf<PublishedEvent>('no events', ['ID', 'TYPE', 'PUBLISHED', 'DELIVERIES'], (event) => [
  event.id,
  event.type,
  event.timestamp,
  String(event.deliveries),
]);

/** The envelope's optional fields, shown when published. */
const OPTIONAL_FIELDS = ['source', 'resourceType', 'resourceId', 'changes', 'metadata', 'apiVersion'] as const;

function describeEvent(event: PublishedEvent): string {
  const optional = OPTIONAL_FIELDS.map((name): [string, string | undefined] => [
    name,
    event[name] == null ? undefined : compactJson(event[name]),
  ]);
  return (
    fieldList([
      ['id', event.id],
      ['type', event.type],
      ['published', event.timestamp],
      ['deliveries', String(event.deliveries)],
      ...optional,
    ]) + `data:\n${JSON.stringify(event.data, null, 2)}\n`
  );
}

async function get(line: ApiCommandLine): Promise<void> {
  const [, id] = expectPositionals(line.positionals, 2, 'hookd events get EVENT_ID') as [string, string];
  const event = await dataOf(line.client.GET('/api/v1/events/{id}', { params: { path: { id } } }));
  if (line.json) return printJson(event);
  process.stdout.write(describeEvent(event));
}

const SUBCOMMANDS = {
  list: listSubcommand({
    usage: 'hookd events list [--limit N] [--cursor C]',
    fetchPage: (line, query) => dataOf(line.client.GET('/api/v1/events', { params: { query } })),
    describe: describeEvents,
    // One page at a time: a workspace keeps every event of the retention period, far too many to print at once.
    onePageOnly: true,
  }),
  get: { options: {}, run: get },
} satisfies Record<string, ApiSubcommand>;

export async function eventsCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  return runApiSubcommand('events', EVENTS_USAGE, SUBCOMMANDS, argv, env, helpText);
}
