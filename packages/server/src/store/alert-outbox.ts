// The Store's part for alerts: the outbox of alerts to send (rows made by recordAttempts in the transaction that
// changes a webhook's status, one per channel the workspace has set then) and the workspace's alert-signing secret.
import type { AlertOutcome, ClaimedAlert } from '../domain/alert.js';
import type { Page, PruneBatch, PruneBatchRequest, PageRequest } from './store.js';

/** A workspace's alert secret exactly as stored (encrypted or not). */
export interface StoredAlertSecret {
  workspaceId: string;
  alertSecret: string;
}

export interface AlertOutbox {
  /**
   * Sets the workspace's alert-signing secret (the stored form: the encrypting layer seals it). `onlyIfUnset`: only
   * when it has none yet, checked and written atomically. False when nothing was written (no such workspace, or one
   * was set already).
   */
  setAlertSecret(workspaceId: string, secret: string, options: { onlyIfUnset: boolean }): Promise<boolean>;
  /**
   * Claims up to `limit` due pending alerts for `leaseMs`, earliest due first (PostgreSQL: FOR UPDATE SKIP LOCKED, so
   * senders in many processes never take the same one). An alert whose lease runs out is due again: a sender that
   * died with it loses nothing.
   */
  claimDueAlerts(claim: { now: Date; leaseMs: number; limit: number; leaseToken: string }): Promise<ClaimedAlert[]>;
  /**
   * Makes every leased pending alert due at once (or when it was due, if sooner) and unleased: the sender of a process
   * that is the database's only one (SQLite) takes back what its dead predecessor held, instead of waiting out the
   * lease (5 minutes). Answers how many.
   */
  releaseAlertLeases(now: Date): Promise<number>;
  /** Writes each outcome whose alert is still leased under its token (one whose lease was lost is dropped). */
  recordAlertOutcomes(outcomes: AlertOutcome[], now: Date): Promise<void>;
  /** Every workspace's alert secret as stored, by workspace id (those without one left out): for re-encrypting them. */
  listStoredAlertSecrets(page: PageRequest): Promise<Page<StoredAlertSecret>>;
  /** Retention, one batch: of the `limit` alerts after seq `afterSeq`, deletes those sent or failed before `before`. */
  deleteFinishedAlerts(batch: PruneBatchRequest): Promise<PruneBatch>;
  /**
   * Writes each `replacement` where the workspace still holds its `expected` exactly, so a rotation made since it was
   * read wins. Answers how many were written.
   */
  replaceStoredAlertSecrets(
    replacements: { expected: StoredAlertSecret; replacement: StoredAlertSecret }[],
  ): Promise<number>;
}
