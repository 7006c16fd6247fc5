// SQLite's errors that say the disk refuses its writes now (full, or failing), rather than that a write was wrong.

/**
 * SQLITE_FULL (no space left, or a quota) and the SQLITE_IOERR family (a read or write the operating system refused:
 * EIO, ENOSPC met by an fsync, a disk gone). The same call may work once space is freed or the disk is back, so they
 * become StoreUnavailable (a 503 with Retry-After), never a 500.
 */
export function isDiskRefusal(code: string | undefined): boolean {
  return code === 'SQLITE_FULL' || (code?.startsWith('SQLITE_IOERR') ?? false);
}
