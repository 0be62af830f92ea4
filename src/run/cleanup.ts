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

export function cleanUp(): void {
  for (const path of [...paths].reverse()) removeNow(path);
}
