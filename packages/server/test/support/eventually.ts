// The one polling wait of the tests, for a state only visible by asking (an API answer, a file, a process's output
// read back): ask again, shortly, until the answer is right or the bound passes. Waits on what is asked, not on time.

/**
 * Calls `check` until it returns without throwing (its value is returned) or `timeoutMs` passes (its last error is
 * thrown). For polling the API for a state the worker reaches on its own.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
