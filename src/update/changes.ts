import { ANSWERS_FILE } from '../options/answers-file.ts';
import type { TextMerger } from './merge-text.ts';
import { FOLDER_IN_THE_WAY, LINK_IN_THE_WAY, readProjectFile, type FileVersion, type Tree } from './tree.ts';

/**
 * File by file, what an update does with the project, from three versions of each path: the base (what
 * the recorded generator and template made), the new version, and the user's file now.
 *
 * - untouched by the user: it takes the new version (or is deleted, if the new version dropped it);
 * - untouched by the template: it stays the user's;
 * - changed by both: a three-way merge, with conflict markers where both changed the same lines;
 * - deleted by the user: it stays deleted;
 * - dropped by the new version but changed by the user: it is kept.
 *
 * Lockfiles are never merged (the install that follows rewrites them), and `.secure-express.json`
 * always takes the new version: it is the record of what the project now comes from.
 */
export type ChangeKind = 'new' | 'updated' | 'merged' | 'conflict' | 'deleted' | 'kept';

export interface Change {
  readonly path: string;
  readonly kind: ChangeKind;
  /** What is written; none for `deleted`, `kept`, and a conflict that cannot hold markers. */
  readonly file?: FileVersion;
  /** Why, where the kind alone does not say it. */
  readonly note?: string;
}

export const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb']);

/** git's test: a NUL byte in the first 8000 bytes. */
const isBinary = (data: Buffer) => data.subarray(0, 8000).includes(0);

/**
 * A project checked out with CRLF line endings (git's autocrlf on Windows) differs from the rendered LF
 * files on every line; compared as they are, every file would look changed by the user and conflict.
 * So the rendered versions are compared in the user's line endings.
 */
const usesCrlf = (data: Buffer) => data.includes('\r\n') && !/(^|[^\r])\n/.test(data.toString('latin1'));
const toCrlf = (file: FileVersion | undefined): FileVersion | undefined =>
  !file || isBinary(file.data) ? file : { ...file, data: Buffer.from(file.data.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') };

function inYourLineEndings(base: FileVersion | undefined, next: FileVersion | undefined, yours: FileVersion | undefined): [FileVersion | undefined, FileVersion | undefined] {
  const convert = yours !== undefined && usesCrlf(yours.data) && !(base && usesCrlf(base.data));
  return convert ? [toCrlf(base), toCrlf(next)] : [base, next];
}

const same = (a: FileVersion | undefined, b: FileVersion | undefined) => a !== undefined && b !== undefined && a.data.equals(b.data);

/** The user's permission bits, unless they were the base's and the new version changed them. */
const modeFor = (base: FileVersion, next: FileVersion, yours: FileVersion) => (yours.mode === base.mode ? next.mode : yours.mode);

async function merge(path: string, base: FileVersion, next: FileVersion, yours: FileVersion, merger: TextMerger): Promise<Change> {
  const mode = modeFor(base, next, yours);
  if ([base, next, yours].some((file) => isBinary(file.data))) {
    return { path, kind: 'conflict', note: 'a binary file changed on both sides: yours is left as it is; compare it with the new version by hand' };
  }
  const merged = await merger.merge(yours.data.toString('utf8'), base.data.toString('utf8'), next.data.toString('utf8'));
  const file = { data: Buffer.from(merged.text, 'utf8'), mode };
  return merged.conflicts > 0
    ? { path, kind: 'conflict', file, note: `${merged.conflicts} conflict${merged.conflicts === 1 ? '' : 's'}` }
    : { path, kind: 'merged', file };
}

const EMPTY: FileVersion = { data: Buffer.alloc(0), mode: 0o644 };

async function decide(path: string, base: FileVersion | undefined, next: FileVersion | undefined, yours: FileVersion | undefined, merger: TextMerger): Promise<Change | undefined> {
  if (path === ANSWERS_FILE) return next && !same(yours, next) ? { path, kind: 'updated', file: next } : undefined;
  if (LOCKFILES.has(path)) return next && !same(yours, next) ? { path, kind: 'kept', note: 'a lockfile is not merged: reinstall to update it' } : undefined;

  if (!next) {
    if (!base || !yours) return undefined;
    return same(yours, base) ? { path, kind: 'deleted' } : { path, kind: 'kept', note: 'the new version no longer has it; kept because you changed it' };
  }
  if (!yours) {
    if (!base) return { path, kind: 'new', file: next };
    return same(next, base) ? undefined : { path, kind: 'kept', note: 'you deleted it; it stays deleted (the new version changes it)' };
  }
  if (same(yours, next)) return undefined;
  if (!base) return merge(path, { ...EMPTY, mode: yours.mode }, next, yours, merger);
  if (same(next, base)) return undefined;
  if (same(yours, base)) return { path, kind: 'updated', file: { ...next, mode: modeFor(base, next, yours) } };
  return merge(path, base, next, yours, merger);
}

export async function planChanges(base: Tree, next: Tree, projectDir: string, merger: TextMerger): Promise<Change[]> {
  const paths = [...new Set([...base.keys(), ...next.keys()])].sort();
  const changes: Change[] = [];
  for (const path of paths) {
    const yours = readProjectFile(projectDir, path);
    if (yours === FOLDER_IN_THE_WAY) {
      if (next.has(path)) changes.push({ path, kind: 'conflict', note: 'a folder of yours is at this path: the new version of the file was not written' });
      continue;
    }
    if (yours === LINK_IN_THE_WAY) {
      if (!same(base.get(path), next.get(path))) changes.push({ path, kind: 'conflict', note: 'a symbolic link of yours is at this path or above it: update does not follow links, and wrote nothing here' });
      continue;
    }
    const change = await decide(path, ...inYourLineEndings(base.get(path), next.get(path), yours), yours, merger);
    if (change) changes.push(change);
  }
  return changes;
}
