// "Did you mean …?": the closest known name by edit distance, for unknown node types and node ids.

/** Levenshtein distance between two strings (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a plausible
 * typo (distance at most a third of the name's length, and at least 2 allowed).
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  // A node type written without its plugin prefix ("x264-encoder") is an obvious match.
  const suffixMatch = candidates.find((candidate) => candidate.endsWith(`/${name}`));
  if (suffixMatch) return suffixMatch;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
