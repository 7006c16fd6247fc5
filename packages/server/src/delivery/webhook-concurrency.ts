// How many attempts one webhook may have in flight. A fixed cap had to choose between isolation and throughput:
// small enough that a few hanging endpoints leave most slots to the others, it also held a busy, healthy endpoint
// to cap ÷ answer time (16 in flight at 100 ms each: 160 deliveries a second, however many are due). So the cap
// moves: every webhook starts at the floor; one that answers fast while more of its deliveries wait earns a slot per
// such answer, up to the ceiling; every slower answer (a timeout too) halves what it holds, down to the floor. An
// endpoint that starts to hang keeps at most the ceiling for one timeout, then the floor.

export interface WebhookConcurrency {
  /** What every webhook may have in flight. */
  floor: number;
  /** The most a webhook may earn by answering fast. */
  ceiling: number;
  /** An answer within this many ms is fast. */
  fastAnswerMs: number;
}

/** Fast: well within any timeout a receiver is told to keep (Stripe and Svix ask for an answer within seconds). */
const FAST_ANSWER_MS = 1_000;

/**
 * From a process's slots: a floor of a sixteenth, between 1 and 32, so that eight hanging endpoints hold at most
 * half; a ceiling of four times that, at most a quarter of the slots.
 */
export function defaultWebhookConcurrency(concurrency: number): WebhookConcurrency {
  const floor = Math.max(1, Math.min(32, Math.floor(concurrency / 16)));
  return {
    floor,
    ceiling: Math.max(floor, Math.min(4 * floor, Math.floor(concurrency / 4))),
    fastAnswerMs: FAST_ANSWER_MS,
  };
}

/** The webhook's limit once an attempt has been answered after `answerMs`; `othersWaiting`: more of its deliveries wait for a slot. */
export function limitAfterAnswer(
  limit: number,
  answerMs: number,
  othersWaiting: boolean,
  bounds: WebhookConcurrency,
): number {
  if (answerMs >= bounds.fastAnswerMs) return Math.max(bounds.floor, Math.floor(limit / 2));
  return othersWaiting ? Math.min(bounds.ceiling, limit + 1) : limit;
}
