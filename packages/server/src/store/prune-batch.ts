// The step of the retention pruner's walk through a table (see Store.deleteFinishedDeliveries).

/** At most `limit` rows older than `before`: a batch of a table pruned by age rather than walked by seq. */
export type DeleteBeforeBatch = { before: Date; limit: number };

/** A step of a walk through a table by seq, oldest first (see Store.deleteFinishedDeliveries). */
export interface PruneBatchRequest {
  before: Date;
  afterSeq: number;
  limit: number;
}

export interface PruneBatch {
  deleted: number;
  /** The highest seq looked at: where the next batch starts. */
  lastSeq: number;
  /**
   * The walk reached rows made since `before` (or the end of the table): what follows is too recent to delete, so the
   * next walk starts over from the oldest row. Rows made at once can land slightly out of seq order; those left
   * behind are taken by a later walk.
   */
  reachedRecent: boolean;
}
