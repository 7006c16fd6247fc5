// The delivery side as the services see it (DeliveryPort): the guarded HTTP agent, the sender and, in
// processes that deliver, the worker.
import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import { NetworkPolicy, type NetworkPolicyOptions } from '../domain/network-policy.js';
import type { Webhook } from '../domain/webhook.js';
import type { Clock, DeliveryPort } from '../services/deps.js';
import type { Store } from '../store/store.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { toAttemptRecord } from './attempt-record.js';
import { createGuardedAgent } from './guarded-agent.js';
import { sendAttempt, type SenderDeps } from './sender.js';
import { DEFAULT_WORKER_OPTIONS, DeliveryWorker, type WorkerOptions } from './worker.js';

export interface EngineOptions extends NetworkPolicyOptions {
  concurrency: number;
  userAgent: string;
  /** Run the worker in this process (roles "all" and "worker"). */
  runWorker: boolean;
  worker?: Partial<Omit<WorkerOptions, 'concurrency'>>;
}

export class DeliveryEngine implements DeliveryPort {
  readonly leaseMs: number;
  private readonly policy: NetworkPolicy;
  private readonly agent: Agent;
  private readonly sender: SenderDeps;
  private readonly recorder: AttemptRecorder;
  private readonly worker: DeliveryWorker | undefined;

  constructor(
    private readonly deps: { store: Store; clock: Clock; logger: Logger },
    options: EngineOptions,
  ) {
    this.policy = new NetworkPolicy(options);
    this.agent = createGuardedAgent({ policy: this.policy, connectionsPerOrigin: options.concurrency });
    this.sender = { agent: this.agent, userAgent: options.userAgent, now: deps.clock };
    this.recorder = new AttemptRecorder(deps.store, deps.clock, (error) => deps.logger.error({ err: error }, 'recording attempts failed'));
    const workerOptions = { ...DEFAULT_WORKER_OPTIONS, ...options.worker, concurrency: options.concurrency };
    this.leaseMs = workerOptions.leaseMs;
    this.worker = options.runWorker ? new DeliveryWorker({ ...deps, sender: this.sender, recorder: this.recorder }, workerOptions) : undefined;
  }

  async start(): Promise<void> {
    await this.worker?.start();
  }

  wake(): void {
    this.worker?.wake();
  }

  async deliverClaimed(claim: ClaimedDelivery): Promise<void> {
    const sent = await sendAttempt(this.sender, claim.webhook, claim.event);
    await this.recorder.record(toAttemptRecord(claim, sent, this.deps.clock()));
  }

  async probe(webhook: Webhook, event: EventRecord): Promise<{ ok: boolean; detail: string }> {
    const { attempt } = await sendAttempt(this.sender, webhook, event);
    if (attempt.error === null) return { ok: true, detail: `the endpoint answered ${attempt.responseStatus}` };
    return { ok: false, detail: attempt.error };
  }

  urlRefusal(url: string): string | undefined {
    return this.policy.refusalForUrl(new URL(url));
  }

  /** Stops the worker (finishing or handing back in-flight attempts) and closes connections. */
  async stop(graceMs: number): Promise<void> {
    await this.worker?.stop(graceMs);
    await this.agent.close();
  }
}
