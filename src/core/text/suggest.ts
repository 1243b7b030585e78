/** "Did you mean ...?" for misspelt keys and values. */

/**
 * The candidate closest to `word` (case-insensitive edit distance, a swap of two adjacent
 * letters counting as one edit), or undefined when none is close enough to be a likely typo.
 * Ties go to the earlier candidate.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip the table when that is already too far.
    if (Math.abs(word.length - candidate.length) > allowedDistance(word, candidate)) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance <= allowedDistance(word, candidate)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** About one typo per three letters, at least one: `prot` -> `port`, but not `foo` -> `host`. */
function allowedDistance(word: string, candidate: string): number {
  return Math.max(1, Math.floor(Math.min(word.length, candidate.length) / 3));
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  // Three rows of the table (i-2, i-1, i) are all the recurrence reads.
  const cols = b.length + 1;
  let before = new Uint32Array(cols);
  let previous = Uint32Array.from({ length: cols }, (_, j) => j);
  let current = new Uint32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
