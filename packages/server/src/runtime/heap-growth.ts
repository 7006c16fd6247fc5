// How far the JavaScript heap may grow past what is live before V8 collects it, for the long-running server.
import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the old generation reach up to four times its live size between full collections when the machine has
 * memory to spare. Under a steady delivery load hookd's live heap is about 25 MB, so the heap swung between 25 and
 * 130 MB, and the process's peak RSS followed it. Capping the growth at 1.5× keeps the peak near 200 MB (bench
 * backlog scenario) for a few percent more time spent collecting. Process-wide: it covers the store's thread too.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}
