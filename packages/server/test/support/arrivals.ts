// A list that grows as things happen (requests arrive, answers go out), and a bounded wait for its n-th item: tests
// wait on a count, never on time passing.

export class Arrivals<T> {
  readonly items: T[] = [];
  private readonly waiters: { n: number; resolve: (item: T) => void }[] = [];

  add(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters.filter((w) => w.n <= this.items.length)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(this.items[waiter.n - 1]!);
    }
  }

  /** The n-th item (1-based); rejects, naming `what` and how many came, if it has not come within `timeoutMs`. */
  nth(n: number, what: string, timeoutMs: number): Promise<T> {
    const already = this.items[n - 1];
    if (already !== undefined) return Promise.resolve(already);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        n,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.items.length} came)`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
