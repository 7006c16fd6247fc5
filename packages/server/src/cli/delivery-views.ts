// How deliveries and their attempts are shown to people (--json prints the API's answer instead).
import type { Attempt, Delivery } from '@hookd/client';
import { fieldList } from './field-list.js';
import { table, tableOf } from './table.js';

/** What the last attempt got: its status code, its error, or nothing yet. */
export function deliveryOutcome(delivery: Delivery): string {
  if (delivery.responseStatus !== null) return String(delivery.responseStatus);
  return delivery.lastError ?? '-';
}

export const describeDeliveries = tableOf<Delivery>(
  'no deliveries',
  ['ID', 'STATUS', 'EVENT', 'ATTEMPTS', 'CREATED', 'LAST RESPONSE'],
  (delivery) => [
    delivery.id,
    delivery.status,
    delivery.event,
    String(delivery.attempts),
    delivery.createdAt,
    deliveryOutcome(delivery),
  ],
);

export function describeDelivery(delivery: Delivery): string {
  return fieldList([
    ['id', delivery.id],
    ['status', delivery.status],
    ['event', `${delivery.event} ${delivery.eventId}`],
    ['webhook', delivery.webhookId],
    ['attempts', String(delivery.attempts)],
    ['last response', deliveryOutcome(delivery)],
    ['response time', delivery.responseTime === null ? undefined : `${delivery.responseTime} ms`],
    ['last error', delivery.responseStatus === null ? undefined : (delivery.lastError ?? undefined)],
    ['next attempt', delivery.nextAttemptAt ?? undefined],
    ['created', delivery.createdAt],
    ['updated', delivery.updatedAt],
  ]);
}

/** One attempt on one line: when, what came back (status or error), how long it took. */
export function attemptOutcome(attempt: Attempt): string {
  const answer = attempt.responseStatus === null ? (attempt.error ?? 'no answer') : String(attempt.responseStatus);
  return `${answer} in ${attempt.durationMs} ms`;
}

export function describeAttempts(attempts: Attempt[], firstNumber = 1): string {
  if (attempts.length === 0) return 'no attempts yet\n';
  const rows = attempts.map((attempt, index) => [
    String(firstNumber + index),
    attempt.attemptedAt,
    attempt.responseStatus === null ? '-' : String(attempt.responseStatus),
    `${attempt.durationMs} ms`,
    attempt.error ?? '',
  ]);
  return table(['#', 'ATTEMPTED', 'STATUS', 'DURATION', 'ERROR'], rows);
}
