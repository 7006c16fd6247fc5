// What `hookd listen` prints for one delivery: a summary line (time, event type, event id, verdict, status) and the body.
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '@hookd/verify';

export interface ReceivedDelivery {
  at: Date;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** "ok", "unverified", or the reason verification failed and why. */
  verdict: string;
  status: number;
}

function parsedBody(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function firstText(...candidates: unknown[]): string {
  const found = candidates.find((value) => typeof value === 'string' && value.length > 0);
  return (found as string | undefined) ?? '-';
}

/** The lines printed for one delivery, ending with a blank line. */
export function describeDelivery(delivery: ReceivedDelivery): string {
  const event = parsedBody(delivery.body);
  const header = (name: string) => headerValue(delivery.headers, name);
  const type = firstText(event?.type, event?.event, header('x-webhook-event'));
  const id = firstText(event?.id, header('x-webhook-event-id'), header('webhook-id'));
  const summary = `${delivery.at.toISOString()}  ${type}  ${id}  ${delivery.verdict}  → ${delivery.status}`;
  const text = delivery.body.toString('utf8');
  const shown = event ? JSON.stringify(event, null, 2) : text.length > 0 ? text : '(empty body)';
  return `${summary}\n${shown}\n\n`;
}
