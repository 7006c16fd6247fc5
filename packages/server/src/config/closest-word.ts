// "Did you mean …?": the known word nearest to a mistyped one, by edit distance (a swap of two letters counts as one).

/** Edits (insert, delete, replace, swap of neighbours) that turn `a` into `b`: optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** A word as compared: without the dashes of a flag, in lower case. */
const bare = (word: string) => word.replace(/^-+/, '').toLowerCase();

/**
 * The candidate nearest to `word`, if it is near enough to be what was meant: at most a third of its letters off
 * (at most three; dashes of a flag not counted), so `--evnets` finds `--events` but `-x` or `--zzzz` find nothing.
 */
export function closestWord(word: string, candidates: Iterable<string>): string | undefined {
  const allowed = Math.min(3, Math.floor(bare(word).length / 3));
  let best: { word: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(bare(word), bare(candidate));
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word;
}

/** " (did you mean X?)" when a candidate is near `word`, or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = closestWord(word, candidates);
  return near === undefined ? '' : ` (did you mean ${near}?)`;
}
