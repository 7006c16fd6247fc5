// Messages between the bench orchestrator and its child processes (over Node's IPC channel).

export type ReceiverCommand =
  | { type: 'status'; status: number }
  | { type: 'hang'; prefixes: string[] }
  | { type: 'reset' }
  | { type: 'stats' }
  | { type: 'latencies'; group: string };

export interface ReceiverStats {
  type: 'stats';
  /** Successful receipts per path group ("/ok", "/hang", …). */
  counts: Record<string, number>;
  firstAt: number;
  lastAt: number;
}

/**
 * publish→receipt in ms of one path group, for events that carried `sentAt`. Asked for once a scenario is done, not
 * with every poll of the counts: a million of them, sent ten times a second, had the receiver and the bench spend
 * more and more of the machine on the bench itself as a long scenario went on.
 */
export interface ReceiverLatencies {
  type: 'latencies';
  latencies: number[];
}

export type LoadCommand =
  | { type: 'burst'; base: string; key: string; eventType: string; count: number; connections: number }
  | {
      type: 'rate';
      base: string;
      key: string;
      eventType: string;
      perSecond: number;
      seconds: number;
      connections: number;
    }
  | { type: 'ceiling'; url: string; count: number; connections: number };

export interface LoadResult {
  type: 'result';
  sent: number;
  accepted: number;
  errors: number;
  startedAt: number;
  endedAt: number;
}
