import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GenerationError } from '../errors.ts';
import { ANSWERS_FILE } from '../options/answers-file.ts';
import type { Change } from './changes.ts';

/**
 * Stage everything, then apply. Every file the update writes is first written into a staging folder;
 * only then are the project's files swapped, each one moved aside into the staging folder and the new
 * one moved in. The swap is synchronous from the first rename to the last: Node runs a signal handler
 * between tasks, never inside one, so a Ctrl-C arrives before the swap (nothing changed) or after it
 * (all changed), and the clean-up then removes the staging folder. A failure half-way (a file in the
 * way, a full disk) moves everything back. `.secure-express.json` is swapped last.
 */
const NEW = 'new';
const ASIDE = 'aside';

export function stageChanges(changes: readonly Change[], staging: string): void {
  for (const { path, file } of changes) {
    if (!file) continue;
    const staged = join(staging, NEW, path);
    mkdirSync(dirname(staged), { recursive: true });
    writeFileSync(staged, file.data);
    chmodSync(staged, file.mode);
  }
}

/** A rename, or a copy when the staging folder had to go on another file system. */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

/** Folders the deletions emptied, up to (not including) the project folder. */
function removeEmptyFolders(projectDir: string, path: string, undo: (() => void)[]): void {
  for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) {
    const full = join(projectDir, folder);
    if (!existsSync(full) || readdirSync(full).length > 0) return;
    rmdirSync(full);
    undo.push(() => mkdirSync(full, { recursive: true }));
  }
}

/** The folders `mkdir -p` would make for `path`, outermost first. */
function missingFolders(projectDir: string, path: string): string[] {
  const missing: string[] = [];
  for (let folder = dirname(path); folder !== '.' && !existsSync(join(projectDir, folder)); folder = dirname(folder)) missing.unshift(join(projectDir, folder));
  return missing;
}

function attempt(step: () => void): boolean {
  try {
    step();
    return true;
  } catch {
    return false;
  }
}

export function applyStaged(changes: readonly Change[], projectDir: string, staging: string): void {
  const writes = changes.filter((change) => change.file || change.kind === 'deleted');
  const ordered = [...writes.filter((change) => change.path !== ANSWERS_FILE), ...writes.filter((change) => change.path === ANSWERS_FILE)];
  const undo: (() => void)[] = [];
  let current = '';
  try {
    for (const { path, file } of ordered) {
      current = path;
      const target = join(projectDir, path);
      if (lstatSync(target, { throwIfNoEntry: false })) {
        const aside = join(staging, ASIDE, path);
        mkdirSync(dirname(aside), { recursive: true });
        move(target, aside);
        undo.push(() => move(aside, target));
      }
      if (!file) {
        removeEmptyFolders(projectDir, path, undo);
        continue;
      }
      for (const folder of missingFolders(projectDir, path)) {
        mkdirSync(folder);
        undo.push(() => rmdirSync(folder));
      }
      move(join(staging, NEW, path), target);
      undo.push(() => unlinkSync(target));
    }
  } catch (error) {
    const unrestored = undo.reverse().filter((step) => !attempt(step));
    const reason = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'a file of yours is where the new version needs a folder' : (error as Error).message;
    const outcome = unrestored.length === 0 ? 'the project was left as it was' : `${unrestored.length} step(s) could not be undone: see git status`;
    throw new GenerationError(`could not apply the update at ${current} (${reason}); ${outcome}`, { cause: error });
  }
}
