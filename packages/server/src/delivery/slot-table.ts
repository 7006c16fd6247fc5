// The worker's bookkeeping, with no clock and no I/O: what it holds of each webhook (sending, claimed and waiting for
// a slot, reserved for a publish still being stored), how many more each may take, which waiting delivery goes next
// and which go back to the queue. Times come in as plain milliseconds, so it is tested in plain numbers.
// Claims run a step ahead of the sends: each plain webhook may hold as many claimed deliveries waiting for a slot as
// it has slots, so a slot that frees is filled at once instead of after a round trip to the store.
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { Webhook } from '../domain/webhook.js';
import { limitAfterAnswer, type WebhookConcurrency } from './webhook-concurrency.js';

/**
 * A claimed delivery older than this is handed back rather than sent when its slot comes: it bounds how long after
 * a pause, a change or a deletion a delivery claimed before it may still go out, to about what an attempt already
 * in flight takes.
 */
export const MAX_WAIT_MS = 1_000;

export interface SlotLimits {
  /** In-flight deliveries in this process. */
  concurrency: number;
  /** In-flight deliveries to one webhook: see webhook-concurrency.ts. */
  perWebhook: WebhookConcurrency;
}

/** What the claim is told: webhooks to leave out, and how many more of each other webhook held here it may take. */
export interface ClaimLimits {
  excluded: string[];
  room: Record<string, number>;
}

/** Deliveries to send now (their slots already taken), and those to hand back to the queue, due at once. */
export interface NextSends {
  send: ClaimedDelivery[];
  back: ClaimedDelivery[];
}

interface Waiting {
  claim: ClaimedDelivery;
  claimedAt: number;
}

/** One webhook this worker holds deliveries of. */
interface WebhookSlots {
  webhookId: string;
  fifo: boolean;
  /** Sends at once: 1 for FIFO; for the others it moves with how fast the endpoint answers (limitAfterAnswer). */
  limit: number;
  sending: number;
  /** Claimed and waiting for a slot, oldest due first; none for FIFO, whose next is claimed only after this one. */
  waiting: Waiting[];
  /** Fresh deliveries reserved by publishes still being stored. */
  reserved: number;
}

/** The most deliveries a plain webhook may hold at `limit` sends at once: its slots, and as many waiting. */
function heldAtMost(limit: number): number {
  return 2 * limit;
}

export class SlotTable {
  private readonly byWebhook = new Map<string, WebhookSlots>();
  /** Every delivery being sent, by seq; its size is the process's sending count. */
  private readonly sending = new Map<number, ClaimedDelivery>();
  // The process-wide sums of `waiting` and `reserved`, written only by enqueue, dequeue(First) and reserveOn below.
  private waitingTotal = 0;
  private reservedTotal = 0;

  constructor(private readonly limits: SlotLimits) {}

  /** How many more deliveries this process may hold, sending or waiting. */
  processRoom(): number {
    return 2 * this.limits.concurrency - this.sending.size - this.waitingTotal - this.reservedTotal;
  }

  /** Whether every slot of the process is sending. */
  get full(): boolean {
    return this.sending.size >= this.limits.concurrency;
  }

  /** The room of a plain webhook this worker holds nothing of yet: it starts at the floor. */
  get newWebhookRoom(): number {
    return heldAtMost(this.limits.perWebhook.floor);
  }

  /** `blocked` (webhooks out of rate-limit tokens) and those with no room left are excluded; the others get their room. */
  claimLimits(blocked: readonly string[]): ClaimLimits {
    const excluded = [...blocked];
    const room: Record<string, number> = {};
    for (const [webhookId, slots] of this.byWebhook) {
      const left = this.roomOf(slots);
      if (left <= 0) excluded.push(webhookId);
      else room[webhookId] = left;
    }
    return { excluded, room };
  }

  /** Whether a claim made with `room` took as many of some webhook's deliveries as it had room for (FIFO: its one). */
  tookAllRoomOfSome(claims: ClaimedDelivery[], room: Record<string, number>): boolean {
    const taken = new Map<string, number>();
    for (const claim of claims) {
      const count = (taken.get(claim.webhook.id) ?? 0) + 1;
      taken.set(claim.webhook.id, count);
      const limit = claim.webhook.ordering === 'fifo' ? 1 : (room[claim.webhook.id] ?? this.newWebhookRoom);
      if (count >= limit) return true;
    }
    return false;
  }

  /**
   * Room for one new delivery of each of these webhooks, for a publish to make leased to this worker; the ids of
   * those reserved, or undefined for none. Only webhooks that send in any order and at any rate: a FIFO webhook's
   * next must wait for the one before it, and a rate-limited one's could have to go back to the queue.
   */
  reserve(webhooks: Webhook[]): Set<string> | undefined {
    let free = this.processRoom();
    let reserved: Set<string> | undefined;
    for (const webhook of webhooks) {
      if (free <= 0) break;
      if (webhook.ordering !== 'none' || webhook.rateLimit !== null || !webhook.active || webhook.status === 'disabled')
        continue;
      const slots = this.slotsOf(webhook);
      if (this.roomOf(slots) <= 0) continue;
      this.reserveOn(slots, 1);
      free--;
      (reserved ??= new Set()).add(webhook.id);
    }
    return reserved;
  }

  /** The reservations end; `stored` (the reserved deliveries as stored, if kept) wait for a slot like claimed ones. */
  endReservation(webhookIds: Iterable<string>, stored: ClaimedDelivery[], nowMs: number): void {
    for (const webhookId of webhookIds) this.reserveOn(this.byWebhook.get(webhookId)!, -1);
    for (const claim of stored) this.enqueue(this.byWebhook.get(claim.webhook.id)!, claim, nowMs);
    for (const webhookId of webhookIds) this.forgetIfIdle(this.byWebhook.get(webhookId)!);
  }

  /**
   * Claimed deliveries wait for a slot; "Send test" ones stand outside a FIFO line and its one slot, and are sending
   * at once (`sendNow`). `touched`: the webhooks with new deliveries waiting.
   */
  addClaimed(claims: ClaimedDelivery[], nowMs: number): { sendNow: ClaimedDelivery[]; touched: string[] } {
    const sendNow: ClaimedDelivery[] = [];
    const touched = new Set<string>();
    for (const claim of claims) {
      const slots = this.slotsOf(claim.webhook);
      if (claim.kind === 'test') {
        this.startSending(slots, claim);
        sendNow.push(claim);
      } else {
        this.enqueue(slots, claim, nowMs);
        touched.add(slots.webhookId);
      }
    }
    return { sendNow, touched: [...touched] };
  }

  /**
   * The waiting deliveries of these webhooks (all: every webhook) that go now, while each webhook and the process
   * have free slots: sent if fresh and `mayTake` (a rate-limit token) allows; handed back if older than MAX_WAIT_MS;
   * out of tokens, that one and the rest of its webhook's go back.
   */
  next(webhookIds: Iterable<string> | 'all', nowMs: number, mayTake: (claim: ClaimedDelivery) => boolean): NextSends {
    const steps: NextSends = { send: [], back: [] };
    const all = webhookIds === 'all' ? this.byWebhook.values() : webhookIds;
    for (const webhook of all) {
      const slots = typeof webhook === 'string' ? this.byWebhook.get(webhook) : webhook;
      if (slots) this.nextOf(slots, nowMs, mayTake, steps);
    }
    return steps;
  }

  private nextOf(
    slots: WebhookSlots,
    nowMs: number,
    mayTake: (claim: ClaimedDelivery) => boolean,
    steps: NextSends,
  ): void {
    while (slots.waiting.length > 0 && slots.sending < slots.limit && !this.full) {
      const { claim, claimedAt } = this.dequeueFirst(slots);
      if (nowMs - claimedAt > MAX_WAIT_MS) steps.back.push(claim);
      else if (mayTake(claim)) {
        this.startSending(slots, claim);
        steps.send.push(claim);
      } else steps.back.push(claim, ...this.dequeue(slots, slots.waiting.length).map((waiting) => waiting.claim));
    }
    this.forgetIfIdle(slots);
  }

  /**
   * A send was answered after `answerMs`: its slot is free, and its webhook's limit moves (limitAfterAnswer). Returns
   * whose waiting deliveries may take the slot: that webhook's, or with the process at its cap, any webhook's.
   */
  answered(claim: ClaimedDelivery, answerMs: number): string[] | 'all' {
    const slots = this.byWebhook.get(claim.webhook.id)!;
    if (!slots.fifo)
      slots.limit = limitAfterAnswer(slots.limit, answerMs, slots.waiting.length > 0, this.limits.perWebhook);
    const processWasFull = this.full;
    // The same delivery may have been claimed again meanwhile (a 0 ms retry): only forget this claim of it.
    if (this.sending.get(claim.seq) === claim) this.sending.delete(claim.seq);
    slots.sending--;
    this.forgetIfIdle(slots);
    return processWasFull ? 'all' : [slots.webhookId];
  }

  /** Every waiting delivery, taken out (at shutdown, to hand back). */
  takeAllWaiting(): ClaimedDelivery[] {
    const all: ClaimedDelivery[] = [];
    for (const slots of this.byWebhook.values()) {
      all.push(...this.dequeue(slots, slots.waiting.length).map((waiting) => waiting.claim));
      this.forgetIfIdle(slots);
    }
    return all;
  }

  /** The deliveries being sent now. */
  inFlight(): ClaimedDelivery[] {
    return [...this.sending.values()];
  }

  /** How many more of a webhook's deliveries this worker may hold: its slots, and as many waiting (none for FIFO). */
  private roomOf(slots: WebhookSlots): number {
    return (slots.fifo ? 1 : heldAtMost(slots.limit)) - slots.sending - slots.waiting.length - slots.reserved;
  }

  private slotsOf(webhook: Webhook): WebhookSlots {
    let slots = this.byWebhook.get(webhook.id);
    if (!slots) {
      const fifo = webhook.ordering === 'fifo';
      const limit = fifo ? 1 : this.limits.perWebhook.floor;
      slots = { webhookId: webhook.id, fifo, limit, sending: 0, waiting: [], reserved: 0 };
      this.byWebhook.set(webhook.id, slots);
    }
    return slots;
  }

  private startSending(slots: WebhookSlots, claim: ClaimedDelivery): void {
    slots.sending++;
    this.sending.set(claim.seq, claim);
  }

  private enqueue(slots: WebhookSlots, claim: ClaimedDelivery, claimedAt: number): void {
    slots.waiting.push({ claim, claimedAt });
    this.waitingTotal++;
  }

  private dequeueFirst(slots: WebhookSlots): Waiting {
    this.waitingTotal--;
    return slots.waiting.shift()!;
  }

  private dequeue(slots: WebhookSlots, count: number): Waiting[] {
    const taken = slots.waiting.splice(0, count);
    this.waitingTotal -= taken.length;
    return taken;
  }

  private reserveOn(slots: WebhookSlots, change: number): void {
    slots.reserved += change;
    this.reservedTotal += change;
  }

  private forgetIfIdle(slots: WebhookSlots): void {
    if (slots.sending === 0 && slots.waiting.length === 0 && slots.reserved === 0)
      this.byWebhook.delete(slots.webhookId);
  }
}
