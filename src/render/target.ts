import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { ANSWERS_FILE } from '../options/answers-file.ts';
import type { PlannedFile } from './plan.ts';

/** What is at the target folder already, checked before any question is asked or any file written. */
export interface TargetState {
  readonly path: string;
  readonly exists: boolean;
  readonly empty: boolean;
  /** It holds a project this generator made (its answers file): `update` is what brings that up to date. */
  readonly generated: boolean;
}

/** Entries that do not make a folder "non-empty": a fresh `git init` leaves only `.git`. */
const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db']);

export function inspectTarget(path: string, { force }: { force: boolean }): TargetState {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, empty: true, generated: false };
    throw new UsageError(`cannot use ${path} as the target folder: ${(error as Error).message}`);
  }
  if (!info.isDirectory()) throw new UsageError(`${path} exists and is not a folder; choose another target folder`);
  const entries = readdirSync(path);
  const empty = entries.every((entry) => IGNORABLE.has(entry));
  const generated = entries.includes(ANSWERS_FILE);
  if (generated && !force) {
    throw new UsageError(`${path} holds a project made by create-secure-express (${ANSWERS_FILE}): \`create-secure-express update\` in it brings it up to date; --force generates over it`);
  }
  if (!empty && !force) {
    throw new UsageError(`${path} is not empty; choose another folder, or pass --force to add to it (no file is deleted)`);
  }
  return { path, exists: true, empty, generated };
}

/** The first symbolic link on the way to `file` in the target folder, as a path relative to it. */
function linkOnTheWay(target: string, file: string): string | undefined {
  const segments = file.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const path = segments.slice(0, depth).join('/');
    const info = lstatSync(join(target, path), { throwIfNoEntry: false });
    if (!info?.isDirectory()) return info?.isSymbolicLink() ? path : undefined;
  }
  return undefined;
}

/**
 * With --force, a link in the target folder where the project's files go (`src -> ../elsewhere`) would
 * have them written, and the files they replace deleted, outside it: refused before anything is written.
 */
export function refuseLinks(target: TargetState, plan: readonly PlannedFile[]): void {
  if (!target.exists || target.empty) return;
  const links = [...new Set(plan.map((file) => linkOnTheWay(target.path, file.target)).filter((link) => link !== undefined))];
  if (links.length > 0) {
    throw new UsageError(`${target.path} has symbolic links where the project's files go (${links.join(', ')}): the generator writes only inside the target folder; remove them or choose another folder`);
  }
}

/** Files of the plan that already exist in the target and would be replaced (only with --force). */
export function filesToReplace(target: TargetState, plan: readonly PlannedFile[]): string[] {
  if (!target.exists || target.empty) return [];
  return plan.map((file) => file.target).filter((file) => existsSync(join(target.path, file)));
}
