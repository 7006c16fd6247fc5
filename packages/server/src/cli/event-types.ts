// `hookd event-types list|create|delete`: the catalog of event names, each with a description and an optional JSON
// Schema that published data must match, through @hookd/client.
import { dataOf, type EventType, type paths } from '@hookd/client';
import {
  expectPositionals,
  runApiSubcommand,
  printJson,
  type ApiCommandLine,
  type ApiSubcommand,
} from './api-options.js';
import { jsonFlag, jsonObjectFlag } from './json-input.js';
import { listSubcommand } from './list-pages.js';
import { tableOf } from './table.js';

export const EVENT_TYPES_USAGE =
  'hookd event-types list | create NAME [--description D] [--schema JSON|@file|-] | delete NAME';

type CreateEventTypeBody = NonNullable<
  paths['/api/v1/event-types']['post']['requestBody']
>['content']['application/json'];

const describeEventTypes = tableOf<EventType>('no event types', ['NAME', 'SCHEMA', 'DESCRIPTION'], (eventType) => [
  eventType.name,
  eventType.schema === null ? 'no' : 'yes',
  eventType.description,
]);

async function create(line: ApiCommandLine): Promise<void> {
  const usage = 'hookd event-types create NAME [--description D] [--schema JSON|@file|-] [--data JSON|@file|-]';
  const [, name] = expectPositionals(line.positionals, 2, usage) as [string, string];
  const { description, schema, data } = line.values as Record<string, string | undefined>;
  const body = { ...(await jsonObjectFlag('data', data)), name } as CreateEventTypeBody;
  if (description !== undefined) body.description = description;
  if (schema !== undefined) body.schema = (await jsonFlag('schema', schema)) as CreateEventTypeBody['schema'];
  const created = await dataOf(line.client.POST('/api/v1/event-types', { body }));
  if (line.json) return printJson(created);
  process.stdout.write(`created event type ${created.name}${created.schema === null ? '' : ' (with a schema)'}\n`);
}

async function remove(line: ApiCommandLine): Promise<void> {
  const [, name] = expectPositionals(line.positionals, 2, 'hookd event-types delete NAME') as [string, string];
  await dataOf(line.client.DELETE('/api/v1/event-types/{name}', { params: { path: { name } } }));
  if (line.json) return printJson({ name, deleted: true });
  process.stdout.write(`deleted event type ${name}\n`);
}

const SUBCOMMANDS = {
  list: listSubcommand({
    usage: 'hookd event-types list [--limit N] [--cursor C]',
    fetchPage: (line, query) => dataOf(line.client.GET('/api/v1/event-types', { params: { query } })),
    describe: describeEventTypes,
  }),
  create: {
    options: { description: { type: 'string' }, schema: { type: 'string' }, data: { type: 'string' } },
    run: create,
  },
  delete: { options: {}, run: remove },
} satisfies Record<string, ApiSubcommand>;

export async function eventTypesCommand(argv: string[], env: NodeJS.ProcessEnv, helpText: () => string): Promise<void> {
  return runApiSubcommand('event-types', EVENT_TYPES_USAGE, SUBCOMMANDS, argv, env, helpText);
}
