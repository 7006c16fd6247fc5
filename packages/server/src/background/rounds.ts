// A loop of rounds in the background with rests between them that stop() cuts short: the retention pruner's and the
// auto-disable sweep's. A round that throws is reported and the loop goes on: the next round tries again.
export class Rounds {
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** True once stop() was called: a long round checks it between its steps. */
  get stopped(): boolean {
    return this.stopping;
  }

  /**
   * Runs `round` `everyMs` after start, and again `everyMs` after each one ends, until stop(). Not at once: a process
   * starts with work of its own (and maybe beside another holding the database's write lock), and its rounds' write
   * transactions would queue in the store's one thread ahead of the API's (a publish under a held SQLite lock was
   * answered after 15.6 s instead of 5.6 s when both rounds ran at start); retention and auto-disable count in
   * minutes and days.
   */
  start(round: () => Promise<void>, everyMs: number, onError: (error: unknown) => void): void {
    if (this.running) return;
    this.running = (async () => {
      for (;;) {
        await this.rest(everyMs);
        if (this.stopping) return;
        try {
          await round();
        } catch (error) {
          onError(error);
        }
      }
    })();
  }

  /** Waits `ms`, or less if stop() is called meanwhile. */
  rest(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  /** Ends the rest under way and waits for the round under way to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.running;
  }
}
