// Loads data for a page and reloads it on demand; an answer that arrives after a newer request started is dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const value = await load();
      if (mine === generation.current) {
        setData(value);
        setError(undefined);
      }
    } catch (failure) {
      if (mine === generation.current) setError(failure);
    }
  }, deps);
  useEffect(() => {
    setData(undefined);
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** Calls `tick` every `ms` while the page is visible (a hidden tab costs the server nothing). */
export function usePolling(tick: () => Promise<void>, ms: number): void {
  useEffect(() => {
    let running = false;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible' || running) return;
      running = true;
      void tick().finally(() => (running = false));
    }, ms);
    return () => clearInterval(timer);
  }, [tick, ms]);
}
