// Per-webhook lanes of claimed deliveries in one worker: at most `limit` sending at once to a webhook, the rest of
// its claim waiting in line (still under its lease) for the next free place, so nothing claimed is handed back.
import type { ClaimedDelivery } from '../domain/delivery.js';

interface Lane {
  sending: number;
  waiting: ClaimedDelivery[];
}

export class WebhookLanes {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limit: number) {}

  private lane(webhookId: string): Lane {
    let lane = this.lanes.get(webhookId);
    if (!lane) this.lanes.set(webhookId, (lane = { sending: 0, waiting: [] }));
    return lane;
  }

  /** True when `claim` may be sent now (its place is taken); false puts it in line. */
  admit(claim: ClaimedDelivery): boolean {
    const lane = this.lane(claim.webhook.id);
    if (lane.sending < this.limit) {
      lane.sending++;
      return true;
    }
    lane.waiting.push(claim);
    return false;
  }

  /** Frees the place of a finished send; answers the next in line, whose place it takes, if any. */
  finish(webhookId: string): ClaimedDelivery | undefined {
    const lane = this.lanes.get(webhookId);
    if (!lane) return undefined;
    const next = lane.waiting.shift();
    if (!next) lane.sending--;
    if (lane.sending === 0) this.lanes.delete(webhookId);
    return next;
  }

  /** Webhooks with as much claimed (sending and waiting) as they may send at once: no point claiming more. */
  full(): string[] {
    return [...this.lanes].filter(([, lane]) => lane.sending + lane.waiting.length >= this.limit).map(([id]) => id);
  }

  /** Everything waiting in line, removed (to hand back at shutdown). */
  drainWaiting(): ClaimedDelivery[] {
    const waiting = [...this.lanes.values()].flatMap((lane) => lane.waiting.splice(0));
    return waiting;
  }
}
