// The work one check of event data against a schema may do, counted as it runs, so no schema holds the event loop.

/**
 * Work units one check of `data` may spend. Spending all of it took 10 to 70 ms of CPU for the costly schemas we
 * tried (3,000 `required` names over 10,000 objects, 300 or 900 `allOf` members over 100,000 items, a 256 KiB string
 * under 300 `maxLength`s) and up to 290 ms for the worst pattern (`^(a|b)*a(a|b){30}$`, where RE2 leaves its DFA, over
 * 38,000 characters), on this shared 2-core machine under load 18. Ordinary data spends far less: 2,000 objects of
 * ten typed string fields (250 KiB) 0.69 million, 12,000 objects of three fields (440 KiB) 1.25 million.
 */
export const WORK_BUDGET = 4_000_000;

/** Thrown from inside a validator when a check runs out of work units; caught where the check began. */
export class SchemaWorkExceeded extends Error {
  constructor() {
    super(`checking the data against this schema takes more than ${WORK_BUDGET.toLocaleString('en')} units of work`);
    this.name = 'SchemaWorkExceeded';
  }
}

// Validation is synchronous, so one counter serves every check: set at the start of each, spent as it runs.
let remaining = Infinity;

/** Runs `check` with a fresh budget of work units; throws SchemaWorkExceeded once it is spent. */
export function withWorkBudget<T>(check: () => T, budget = WORK_BUDGET): T {
  remaining = budget;
  try {
    return check();
  } finally {
    remaining = Infinity;
  }
}

/** Spends `units` of the running check's budget. */
export function spendWork(units: number): void {
  remaining -= units;
  if (remaining < 0) throw new SchemaWorkExceeded();
}

/** How many units looking once at every member of `data` costs: its length, or its number of keys. */
export function widthOf(data: unknown): number {
  if (typeof data === 'string' || Array.isArray(data)) return data.length;
  if (typeof data === 'object' && data !== null) return Object.keys(data).length;
  return 0;
}
