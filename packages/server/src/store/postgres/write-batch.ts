// Writes that arrive in the same turn of the event loop go to PostgreSQL as one statement: a drain records hundreds
// of attempts a second, and one round trip (and one commit) per batch rather than per write is what keeps up.
interface Queued<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class WriteBatch<T, R = void> {
  private queue: Queued<T, R>[] = [];

  /**
   * `writeAll` answers each item's result in order, or an Error for an item that failed alone (a failure of the whole
   * statement fails them all). Two items for which `clash` holds never share a statement: the later waits for the next.
   */
  constructor(
    private readonly writeAll: (items: T[]) => Promise<(R | Error)[]>,
    private readonly clash: (a: T, b: T) => boolean = () => false,
  ) {}

  /** Resolves with the item's result once the statement holding it has committed. */
  write(item: T): Promise<R> {
    return new Promise((resolve, reject) => this.enqueue({ item, resolve, reject }));
  }

  private enqueue(entry: Queued<T, R>): void {
    if (this.queue.length === 0) setImmediate(() => this.flush());
    this.queue.push(entry);
  }

  private flush(): void {
    const batch: Queued<T, R>[] = [];
    const later: Queued<T, R>[] = [];
    for (const entry of this.queue)
      (batch.some((taken) => this.clash(taken.item, entry.item)) ? later : batch).push(entry);
    this.queue = [];
    for (const entry of later) this.enqueue(entry);
    this.writeAll(batch.map((entry) => entry.item)).then(
      (results) =>
        results.forEach((result, n) => {
          if (result instanceof Error) batch[n]!.reject(result);
          else batch[n]!.resolve(result);
        }),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
