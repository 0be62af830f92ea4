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

/**
 * Processes this run is waiting on (git fetching a template, with its helpers). Ctrl-C reaches them
 * from the terminal, but a SIGTERM sent to this process alone does not: they are stopped here, before
 * the folders they write into are removed.
 */
const stoppers = new Set<() => void>();

export function stopOnAbort(stop: () => void): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

/** Stops what is still running, then removes everything still registered; says whether there was anything to remove. */
export function cleanUp(): boolean {
  for (const stop of stoppers) stop();
  stoppers.clear();
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
