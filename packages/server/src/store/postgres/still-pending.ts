// The re-check that a delivery (or alert) picked by its seq is still pending, written so that PostgreSQL finds the row
// through its primary key whatever its statistics say.
//
// `d.seq = ANY (…) AND d.status = 'pending'` lets the planner read the rows through a partial index on pending
// deliveries instead (deliveries_pending_by_webhook_due, whose predicate that status clause proves), filtering every
// entry by seq. It does so when it believes that index is nearly empty, which is what it believes after any VACUUM
// that ran while the queue was empty (a partial index's row estimate scales what that VACUUM counted, 0, by its size
// now): hookd's own queue VACUUM (background-vacuum.ts), at steady state, does exactly that. Then each claim of 128
// walked every pending entry: 33,189 pages and 55 ms a claim with 40,000 queued, and drains ran at a third of their
// rate in the bench (3,000/s against 8,300/s), in whichever run the last VACUUM had come at an empty queue.
//
// Compared under the "C" collation, the clause means the same (text equality is bytewise under any deterministic
// collation, and a database's default one is deterministic) but no longer proves the index's predicate, written
// under the default collation, so only the primary key is left: 13,381 pages against 201 for 64 rows of 40,000
// pending, on a table VACUUMed empty.
export function stillPending(alias: string): string {
  return `${alias}.status COLLATE "C" = 'pending'`;
}
