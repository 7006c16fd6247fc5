// The delivery side as the services see it (DeliveryPort): the guarded HTTP agent, the sender and, in
// processes that deliver, the worker.
import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { Clock, MonotonicClock } from '../domain/clock.js';
import type { EventRecord } from '../domain/envelope.js';
import { NetworkPolicy, type NetworkPolicyOptions } from '../domain/network-policy.js';
import type { Webhook } from '../domain/webhook.js';
import { SecretCipher } from '../domain/secret-encryption.js';
import { WebhookSecrets } from '../domain/webhook-secrets.js';
import type { DeliveryPort } from '../services/delivery-port.js';
import type { OperationCounters } from '../services/operation-counters.js';
import type { Store } from '../store/store.js';
import type { AttemptDeps } from './attempt.js';
import { sendTestNow, storeWithFreshLeases } from './fresh-leases.js';
import { createGuardedAgent } from './guarded-agent.js';
import { HostResolver } from './host-resolver.js';
import { sendAttempt } from './sender.js';
import { defaultWebhookConcurrency } from './webhook-concurrency.js';
import { DEFAULT_WORKER_OPTIONS, DeliveryWorker, type WorkerOptions } from './worker.js';

export interface EngineOptions extends NetworkPolicyOptions {
  concurrency: number;
  userAgent: string;
  /** DNS servers receivers' names are looked up at ("10.0.0.2", "10.0.0.2:5353", "[fd00::53]"); empty: /etc/resolv.conf's. */
  dnsServers: readonly string[];
  /** A DNS lookup with no answer by then fails the attempt. */
  dnsTimeoutMs: number;
  /** Run the worker in this process (roles "all" and "worker"). */
  runWorker: boolean;
  worker?: Partial<Omit<WorkerOptions, 'concurrency'>>;
}

export class DeliveryEngine implements DeliveryPort {
  private readonly leaseMs: number;
  private readonly policy: NetworkPolicy;
  private readonly agent: Agent;
  private readonly resolver: HostResolver;
  private readonly attempts: AttemptDeps;
  private readonly worker: DeliveryWorker | undefined;
  private readonly store: Store;
  private readonly logger: Logger;
  private unwatch: (() => Promise<void>) | undefined;

  /** `secrets` opens claimed webhooks' secrets before signing (default: no key, values stored as they are). */
  constructor(
    deps: {
      store: Store;
      clock: Clock;
      monotonicClock: MonotonicClock;
      logger: Logger;
      secrets?: WebhookSecrets;
      counters?: OperationCounters;
    },
    options: EngineOptions,
  ) {
    this.store = deps.store;
    this.logger = deps.logger;
    this.policy = new NetworkPolicy(options);
    this.resolver = new HostResolver({ servers: options.dnsServers, timeoutMs: options.dnsTimeoutMs });
    this.agent = createGuardedAgent({
      policy: this.policy,
      resolver: this.resolver,
      connectionsPerOrigin: options.concurrency,
    });
    this.attempts = {
      sender: { agent: this.agent, userAgent: options.userAgent, now: deps.clock },
      store: deps.store,
      clock: deps.clock,
      logger: deps.logger,
      secrets: deps.secrets ?? new WebhookSecrets(new SecretCipher(undefined)),
      counters: deps.counters,
    };
    const workerOptions: WorkerOptions = {
      ...DEFAULT_WORKER_OPTIONS,
      perWebhook: defaultWebhookConcurrency(options.concurrency),
      ...options.worker,
      concurrency: options.concurrency,
    };
    this.leaseMs = workerOptions.leaseMs;
    this.worker = options.runWorker
      ? new DeliveryWorker({ ...this.attempts, monotonicClock: deps.monotonicClock }, workerOptions)
      : undefined;
  }

  async start(): Promise<void> {
    await this.worker?.start();
    // Publishes in other processes (PostgreSQL NOTIFY) wake this worker as a publish in this one does.
    if (this.worker && !this.store.capabilities.singleProcess) {
      this.unwatch = await this.store.watchDueWork(
        () => this.wake(),
        (error) =>
          this.logger.warn(
            { err: error },
            'listening for published events failed; reconnecting (the poll interval covers the gap)',
          ),
      );
    }
  }

  wake(): void {
    this.worker?.wake();
  }

  storeWithDeliveries(event: EventRecord, webhooks: Webhook[]): Promise<number> {
    return storeWithFreshLeases({ store: this.store, worker: this.worker }, event, webhooks);
  }

  sendTest(event: EventRecord, webhook: Webhook): Promise<string | undefined> {
    return sendTestNow({ store: this.store, attempts: this.attempts, leaseMs: this.leaseMs }, event, webhook);
  }

  async probe(webhook: Webhook, event: EventRecord): Promise<{ ok: boolean; detail: string }> {
    const { attempt } = await sendAttempt(this.attempts.sender, webhook, event);
    if (attempt.error === null) return { ok: true, detail: `the endpoint answered ${attempt.responseStatus}` };
    return { ok: false, detail: attempt.error };
  }

  urlRefusal(url: string): string | undefined {
    return this.policy.refusalForUrl(new URL(url));
  }

  /** Stops the worker (finishing, or handing back and aborting, in-flight attempts) and closes connections. */
  async stop(graceMs: number): Promise<void> {
    // destroy(), not close(): after the grace period, attempts still running are cut off rather than awaited.
    await this.unwatch?.();
    const cutOff = async () => {
      this.resolver.close();
      await this.agent.destroy();
    };
    if (this.worker) await this.worker.stop(graceMs, cutOff);
    else await cutOff();
  }
}
