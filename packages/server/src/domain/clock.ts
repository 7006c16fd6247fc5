// The clocks every layer is handed rather than reading the time itself, so tests can move time instead of waiting.

/** Wall-clock time: for dates stored and compared (due times, leases, timestamps). */
export type Clock = () => Date;
/** Milliseconds on a clock that only moves forward (performance.now()): for paces and durations, never for dates. */
export type MonotonicClock = () => number;
