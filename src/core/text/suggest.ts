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
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
