// Use cases for the event-type catalog: each type has a description and an optional JSON Schema for `data`.
import { HookdError, throwIfProblems, type FieldProblem } from '../domain/errors.js';
import { eventTypeNameProblem } from '../domain/event-pattern.js';
import type { EventType } from '../domain/workspace.js';
import type { Page, PageRequest } from '../store/store.js';
import { conflictAs } from './conflicts.js';
import { dataSchemaRefusal } from './json-schema.js';
import type { StoreDeps } from './deps.js';

export interface EventTypeInput {
  name: string;
  description?: string | undefined;
  schema?: Record<string, unknown> | null | undefined;
}

export async function createEventType(deps: StoreDeps, workspaceId: string, input: EventTypeInput): Promise<EventType> {
  const problems: FieldProblem[] = [];
  const nameProblem = eventTypeNameProblem(input.name);
  if (nameProblem) problems.push({ field: 'name', message: nameProblem });
  const schema = input.schema ?? null;
  const refusal = schema ? dataSchemaRefusal(schema) : undefined;
  if (refusal?.kind === 'invalid') problems.push({ field: 'schema', message: refusal.message });
  throwIfProblems(problems);
  // A valid JSON Schema that hookd will not run (it could not bound the work of checking data against it).
  if (refusal)
    throw new HookdError('HOOKD_ERR_UNPROCESSABLE', `schema: ${refusal.message}`, [
      { field: 'schema', message: refusal.message },
    ]);
  const eventType: EventType = {
    workspaceId,
    name: input.name,
    description: input.description ?? '',
    schema,
    createdAt: deps.clock(),
  };
  await conflictAs(`event type "${input.name}" already exists`, () => deps.store.insertEventType(eventType));
  return eventType;
}

export async function getEventType(deps: StoreDeps, workspaceId: string, name: string): Promise<EventType> {
  const eventType = await deps.store.getEventType(workspaceId, name);
  if (!eventType) throw new HookdError('HOOKD_ERR_EVENT_TYPE_NOT_FOUND', `no event type "${name}"`);
  return eventType;
}

export async function listEventTypes(
  deps: StoreDeps,
  workspaceId: string,
  page: PageRequest,
): Promise<Page<EventType>> {
  return deps.store.listEventTypes(workspaceId, page);
}

export async function deleteEventType(deps: StoreDeps, workspaceId: string, name: string): Promise<void> {
  if (!(await deps.store.deleteEventType(workspaceId, name))) {
    throw new HookdError('HOOKD_ERR_EVENT_TYPE_NOT_FOUND', `no event type "${name}"`);
  }
}
