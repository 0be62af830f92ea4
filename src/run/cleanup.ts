import { rmSync } from 'node:fs';

/**
 * What this run created and must remove if it does not finish: a temporary folder, a target folder it
 * made. Kept synchronous so that it also runs from a signal handler, right before the process exits.
 */
const paths = new Set<string>();

export function removeOnAbort(path: string): () => void {
  paths.add(path);
  return () => paths.delete(path);
}

export function removeNow(path: string): void {
  paths.delete(path);
  rmSync(path, { recursive: true, force: true });
}

/** Removes everything still registered; says whether there was anything to remove. */
export function cleanUp(): boolean {
  const pending = [...paths].reverse();
  for (const path of pending) removeNow(path);
  return pending.length > 0;
}

/**
 * Once the project is in place there is nothing to remove: stopping during the install or the first
 * commit leaves a project that is only unfinished. This is what to tell the user then (undefined
 * before the project is placed, and after the last step).
 */
let unfinished: string | undefined;

export function whenStoppedNow(note: string | undefined): void {
  unfinished = note;
}

export function stoppedNote(): string | undefined {
  return unfinished;
}
