// Publishing: validate, match webhooks, and store the event with all its deliveries in one transaction.
import {
  envelopeDocument,
  OPTIONAL_ENVELOPE_FIELDS,
  type EnvelopeExtras,
  type EventRecord,
} from '../domain/envelope.js';
import { HookdError, throwIfProblems, type FieldProblem } from '../domain/errors.js';
import { eventTypeNameProblem, matchesAnyEventPattern } from '../domain/event-pattern.js';
import { matchesFilter } from '../domain/filter.js';
import { newEventId } from '../domain/ids.js';
import { differingFields, type PublishRequest } from '../domain/repeated-publish.js';
import type { Webhook } from '../domain/webhook.js';
import { UniqueViolation } from '../store/store.js';
import type { ServiceDeps } from './deps.js';

export interface PublishInput extends EnvelopeExtras {
  type?: string | undefined;
  /** Accepted for `type`, as some senders name it. */
  event?: string | undefined;
  id?: string | undefined;
  data?: unknown;
}

export interface PublishResult {
  id: string;
  type: string;
  deliveries: number;
}

const EVENT_ID = /^[\x21-\x7e]{1,255}$/;

function resultOf(event: EventRecord): PublishResult {
  return { id: event.id, type: event.type, deliveries: event.deliveryCount };
}

async function dataProblems(
  deps: ServiceDeps,
  workspaceId: string,
  type: string,
  data: unknown,
): Promise<FieldProblem[]> {
  const eventType = await deps.store.getEventType(workspaceId, type);
  if (!eventType?.schema) return [];
  // The type's identity: workspace, name and creation time (a type deleted and created again is compiled again).
  const key = `${workspaceId}\u0000${type}\u0000${eventType.createdAt.getTime()}`;
  const check = deps.dataValidators.validatorFor(key, eventType.schema)(data);
  if ('problems' in check) return check.problems;
  const message = `could not be checked against the schema of "${type}": ${check.abandoned}`;
  throw new HookdError('HOOKD_ERR_UNPROCESSABLE', `data ${message}`, [{ field: 'data', message }]);
}

/** The webhooks an event goes to: subscribed to its type, and its envelope (`data` as published) passes their filter. */
export function webhooksFor(event: EventRecord, data: unknown, webhooks: Webhook[]): Webhook[] {
  const document = envelopeDocument(event, data);
  return webhooks.filter((webhook) => {
    if (!matchesAnyEventPattern(webhook.events, event.type)) return false;
    if (webhook.filter === null) return true;
    document.webhookId = webhook.id;
    return matchesFilter(webhook.filter, document);
  });
}

/** The event first published under this Idempotency-Key or event id, and which of the two found it. */
interface Earlier {
  event: EventRecord;
  foundBy: 'Idempotency-Key' | 'event id';
  value: string;
}

async function findEarlier(
  deps: ServiceDeps,
  workspaceId: string,
  id: string | undefined,
  idempotencyKey: string | undefined,
): Promise<Earlier | undefined> {
  if (idempotencyKey !== undefined) {
    const byKey = await deps.store.findEventByIdempotencyKey(workspaceId, idempotencyKey);
    if (byKey) return { event: byKey, foundBy: 'Idempotency-Key', value: idempotencyKey };
  }
  const byId = id === undefined ? undefined : await deps.store.findEvent(workspaceId, id);
  return byId && { event: byId, foundBy: 'event id', value: id! };
}

/**
 * A publish whose id or key was seen before: the same request answers the first result (nothing is stored or
 * delivered again); another request under that id or key is a 409 naming the fields that differ. Compared only on
 * this rare path, against the stored event, so a first publish pays nothing for it.
 */
function repeatedResult(earlier: Earlier, request: PublishRequest): PublishResult {
  const differing = differingFields(request, earlier.event);
  if (differing.length === 0) return resultOf(earlier.event);
  const { event, foundBy, value } = earlier;
  throw new HookdError(
    'HOOKD_ERR_IDEMPOTENCY_CONFLICT',
    `${foundBy} "${value}" was used before for event ${event.id} with another ${differing.join(', ')}; send that request unchanged for its result, or use a new ${foundBy} for a new event`,
    differing.map((field) => ({
      field,
      message: `differs from event ${event.id}, published before with this ${foundBy}`,
    })),
  );
}

/** The event type a valid publish names; every problem with the request otherwise, as one 400. */
function checkedType(input: PublishInput, idempotencyKey: string | undefined): string {
  const problems: FieldProblem[] = [];
  const type = input.type ?? input.event;
  if (type === undefined) problems.push({ field: 'type', message: 'is required' });
  else if (input.type !== undefined && input.event !== undefined && input.type !== input.event)
    problems.push({ field: 'event', message: 'differs from type; send one of them' });
  else {
    const nameProblem = eventTypeNameProblem(type);
    if (nameProblem) problems.push({ field: input.type !== undefined ? 'type' : 'event', message: nameProblem });
  }
  if (input.data === undefined) problems.push({ field: 'data', message: 'is required' });
  if (input.id !== undefined && !EVENT_ID.test(input.id))
    problems.push({ field: 'id', message: 'must be 1 to 255 printable characters without spaces' });
  if (idempotencyKey !== undefined && !EVENT_ID.test(idempotencyKey))
    problems.push({ field: 'Idempotency-Key', message: 'must be 1 to 255 printable characters without spaces' });
  throwIfProblems(problems);
  return type!;
}

/** Refuses (422) data that does not match its event type's schema, naming the first problem. */
async function checkDataAgainstSchema(
  deps: ServiceDeps,
  workspaceId: string,
  type: string,
  data: unknown,
): Promise<void> {
  const schemaProblems = await dataProblems(deps, workspaceId, type, data);
  if (schemaProblems.length > 0) {
    throw new HookdError(
      'HOOKD_ERR_UNPROCESSABLE',
      `data does not match the schema of "${type}": ${schemaProblems[0]!.field} ${schemaProblems[0]!.message}`,
      schemaProblems,
    );
  }
}

export async function publishEvent(
  deps: ServiceDeps,
  workspaceId: string,
  input: PublishInput,
  idempotencyKey?: string,
): Promise<PublishResult> {
  const type = checkedType(input, idempotencyKey);
  const extras: EnvelopeExtras = {};
  for (const field of OPTIONAL_ENVELOPE_FIELDS) if (input[field] !== undefined) extras[field] = input[field];
  const request: PublishRequest = { id: input.id, type, data: input.data, extras };
  const earlier = await findEarlier(deps, workspaceId, input.id, idempotencyKey);
  if (earlier) return repeatedResult(earlier, request);

  await checkDataAgainstSchema(deps, workspaceId, type, input.data);

  const now = deps.clock();
  const event: EventRecord = {
    id: input.id ?? newEventId(now.getTime()),
    workspaceId,
    type,
    timestamp: now,
    dataJson: JSON.stringify(input.data),
    extras,
    idempotencyKey: idempotencyKey ?? null,
    deliveryCount: 0,
    createdAt: now,
  };
  const matched = webhooksFor(event, input.data, await deps.store.listSubscribedWebhooks(workspaceId));
  event.deliveryCount = matched.length;
  try {
    // A webhook deleted since it was matched gets no delivery; the count says what was really made.
    event.deliveryCount = await deps.delivery.storeWithDeliveries(event, matched);
  } catch (error) {
    // Two publishes with the same id or key raced: the first one stored stands, and this one repeats it or is a 409.
    const winner =
      error instanceof UniqueViolation ? await findEarlier(deps, workspaceId, event.id, idempotencyKey) : undefined;
    if (winner) return repeatedResult(winner, request);
    throw error;
  }
  deps.counters?.eventPublished(event);
  return resultOf(event);
}
