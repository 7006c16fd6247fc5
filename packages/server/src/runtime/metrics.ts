// /metrics's figures in prom-client: this process's counters (publishes, attempts, outcomes, alerts) and, read from
// the database at each scrape, the queue and the webhooks, so every process sharing one database reports the same.
// Labels take only bounded values (an outcome, a status class, a webhook state): never a URL, an id or a workspace.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import type { MetricsEndpoint } from '../api/routes/metrics.js';
import type { AttemptRecord, ClaimedDelivery } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import type { AlertCounters } from '../alerts/alert-sender.js';
import { ALERT_CHANNELS } from '../domain/alert.js';
import type { Clock } from '../services/deps.js';
import type { OperationCounters } from '../services/operation-counters.js';
import { WEBHOOK_STATES } from '../store/queue-figures.js';
import type { Store } from '../store/store.js';

/** "2xx" … "5xx" for an HTTP answer, "error" when none came (refused, timed out, not sent), "other" otherwise. */
export function statusClass(responseStatus: number | null): string {
  if (responseStatus === null) return 'error';
  return responseStatus >= 200 && responseStatus < 600 ? `${Math.floor(responseStatus / 100)}xx` : 'other';
}

// Attempts take from a millisecond (a receiver on the same host) up to the webhook's timeout (30 s at most).
const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface Metrics {
  counters: OperationCounters;
  alerts: AlertCounters;
  endpoint: MetricsEndpoint;
}

export function createMetrics(deps: { store: Store; clock: Clock; logger: Logger }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counters = processCounters(registry);
  const alerts = alertCounters(registry);
  const gauges = databaseGauges(registry);
  const endpoint: MetricsEndpoint = {
    contentType: registry.contentType,
    render: async () => {
      await gauges.read(deps).catch((error: unknown) => {
        deps.logger.warn({ err: error }, '/metrics could not read the queue from the database');
        gauges.unknown();
      });
      return registry.metrics();
    },
  };
  return { counters, alerts, endpoint };
}

/** This process's counters; each label's every value is there from the start (at 0), so rates work from the first. */
function processCounters(registry: Registry): OperationCounters {
  const published = new Counter({
    name: 'hookd_events_published_total',
    help: 'Events published (stored) through this process',
    registers: [registry],
  });
  const made = new Counter({
    name: 'hookd_deliveries_created_total',
    help: 'Deliveries made for the events published through this process (one per matching webhook)',
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'hookd_deliveries_total',
    help: 'Deliveries that reached a final outcome in this process: succeeded, or failed after their last retry',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'hookd_delivery_attempts_total',
    help: 'Delivery attempts recorded by this process, by the class of the HTTP status answered (error: no answer)',
    labelNames: ['status_class'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'hookd_delivery_attempt_duration_seconds',
    help: 'How long delivery attempts by this process took, from sending to the end of the answer or the error',
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  for (const outcome of ['succeeded', 'failed']) outcomes.inc({ outcome }, 0);
  for (const status_class of ['2xx', '3xx', '4xx', '5xx', 'error']) attempts.inc({ status_class }, 0);
  return {
    eventPublished(event: EventRecord) {
      published.inc();
      made.inc(event.deliveryCount);
    },
    attemptRecorded(_claim: ClaimedDelivery, record: AttemptRecord) {
      attempts.inc({ status_class: statusClass(record.attempt.responseStatus) });
      durations.observe(record.attempt.durationMs / 1000);
      if (record.status === 'success') outcomes.inc({ outcome: 'succeeded' });
      else if (record.status === 'failed') outcomes.inc({ outcome: 'failed' });
    },
  };
}

/** Alert sends by channel (email, url) and outcome: sent, retrying (failed, tried again later), failed (given up). */
function alertCounters(registry: Registry): AlertCounters {
  const sent = new Counter({
    name: 'hookd_alerts_sent_total',
    help: 'Alerts (email, alert webhook) this process sent, by channel',
    labelNames: ['channel'],
    registers: [registry],
  });
  const failed = new Counter({
    name: 'hookd_alerts_failed_total',
    help: 'Alert sends by this process that failed, by channel and outcome: retrying (tried again later) or failed (given up)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  for (const channel of ALERT_CHANNELS) {
    sent.inc({ channel }, 0);
    for (const outcome of ['retrying', 'failed']) failed.inc({ channel, outcome }, 0);
  }
  return {
    alertSent(channel, outcome) {
      if (outcome === 'sent') sent.inc({ channel });
      else failed.inc({ channel, outcome });
    },
  };
}

/** The gauges read from the database at each scrape; when it does not answer they are left out and `up` says 0. */
function databaseGauges(registry: Registry) {
  const up = new Gauge({
    name: 'hookd_database_up',
    help: 'Whether the database answered the queries behind the queue and webhook gauges at this scrape (1) or not (0)',
    registers: [registry],
  });
  const due = new Gauge({
    name: 'hookd_deliveries_due',
    help: 'Pending deliveries due now of webhooks that deliver (not paused or disabled): the queue depth, from the database',
    registers: [registry],
  });
  const oldestAge = new Gauge({
    name: 'hookd_oldest_due_delivery_age_seconds',
    help: 'How long the longest-waiting due delivery has been due (0 when none is), from the database',
    registers: [registry],
  });
  const webhooks = new Gauge({
    name: 'hookd_webhooks',
    help: 'Webhooks by state (healthy, failing, disabled, paused), across all workspaces, from the database',
    labelNames: ['state'],
    registers: [registry],
  });
  return {
    async read(deps: { store: Store; clock: Clock }) {
      const now = deps.clock();
      const figures = await deps.store.readQueueFigures(now);
      up.set(1);
      due.set(figures.dueDeliveries);
      oldestAge.set(figures.oldestDueAt ? Math.max(0, now.getTime() - figures.oldestDueAt.getTime()) / 1000 : 0);
      for (const state of WEBHOOK_STATES) webhooks.set({ state }, figures.webhooksByState[state]);
    },
    unknown() {
      up.set(0);
      due.reset();
      oldestAge.reset();
      webhooks.reset();
    },
  };
}
