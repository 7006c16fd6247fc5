// Messages between the bench orchestrator and its child processes (over Node's IPC channel).

export type ReceiverCommand =
  | { type: 'status'; status: number }
  | { type: 'hang'; prefixes: string[] }
  | { type: 'reset' }
  | { type: 'stats' };

export interface ReceiverStats {
  type: 'stats';
  /** Successful receipts per path group ("/ok", "/hang", …). */
  counts: Record<string, number>;
  /** publish→receipt in ms per path group, for events that carried `sentAt`. */
  latencies: Record<string, number[]>;
  firstAt: number;
  lastAt: number;
}

export type LoadCommand =
  | { type: 'burst'; base: string; key: string; eventType: string; count: number; connections: number }
  | { type: 'rate'; base: string; key: string; eventType: string; perSecond: number; seconds: number; connections: number }
  | { type: 'ceiling'; url: string; count: number; connections: number };

export interface LoadResult {
  type: 'result';
  sent: number;
  accepted: number;
  errors: number;
  startedAt: number;
  endedAt: number;
}
