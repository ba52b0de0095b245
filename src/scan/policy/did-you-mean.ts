/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(
        Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution),
      );
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** Longest input compared: a typo is short, and the distance costs length². */
const MAX_COMPARED = 128;

/**
 * The closest of `candidates` to `input`, when close enough to be a typo (a third of its
 * length, at least two edits) or when `input` is part of it, as ` (did you mean "x"?)`;
 * the empty string otherwise.
 */
export function didYouMean(input: string, candidates: readonly string[]): string {
  if (input.length > MAX_COMPARED) return '';
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // A word that is part of a candidate (`maxAge` of `minMaxAge`) is a likely slip too.
  best ??=
    input.length >= 3
      ? candidates.find((c) => c.toLowerCase().includes(input.toLowerCase()))
      : undefined;
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
