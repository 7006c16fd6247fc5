// Writes that arrive in the same turn of the event loop go to PostgreSQL as one statement: a drain records hundreds
// of attempts a second, and one round trip (and one commit) per batch rather than per attempt is what keeps up.
export class WriteBatch<T> {
  private queue: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly writeAll: (items: T[]) => Promise<void>) {}

  /** Resolves once the statement holding `item` has committed. */
  write(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.writeAll(batch.map((entry) => entry.item)).then(
      () => batch.forEach((entry) => entry.resolve()),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
