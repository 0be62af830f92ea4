/**
 * The known flag closest to a mistyped one (`--orgins` -> `--origins`), or undefined when none is close:
 * at most two edits, and fewer than a third of the word, so a short flag is not "corrected" into another.
 */
export function closestFlag(typed: string, known: readonly string[]): string | undefined {
  const word = typed.replace(/^-+/, '').split('=')[0] ?? '';
  let best: { flag: string; distance: number } | undefined;
  for (const flag of known) {
    const distance = editDistance(word, flag);
    if (distance < (best?.distance ?? Infinity)) best = { flag, distance };
  }
  return best && best.distance > 0 && best.distance <= Math.min(2, Math.ceil(word.length / 3)) ? best.flag : undefined;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
