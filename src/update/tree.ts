import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A rendered version of the project, or one file of the user's: bytes and permission bits. */
export interface FileVersion {
  readonly data: Buffer;
  readonly mode: number;
}

export type Tree = ReadonlyMap<string, FileVersion>;

/** Every file below `dir`, keyed by its path with `/` separators. */
export function readTree(dir: string): Tree {
  const tree = new Map<string, FileVersion>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    tree.set(relative(dir, path).split(sep).join('/'), { data: readFileSync(path), mode: statSync(path).mode & 0o777 });
  }
  return tree;
}

/** A folder where the new version has a file: nothing is written there. */
export const FOLDER_IN_THE_WAY = Symbol('a folder is in the way');

/**
 * A symbolic link at the path or at a folder above it. A link can lead out of the project (`src ->
 * ../elsewhere`, `README.md -> ~/.npmrc`): reading through it would merge a file from elsewhere into the
 * project, writing through it would change or delete files outside it. Nothing is read or written there.
 */
export const LINK_IN_THE_WAY = Symbol('a symbolic link is in the way');

function linkOnTheWay(projectDir: string, path: string): boolean {
  let at = projectDir;
  for (const segment of path.split('/')) {
    at = join(at, segment);
    const info = lstatSync(at, { throwIfNoEntry: false });
    if (!info || !info.isDirectory()) return info?.isSymbolicLink() ?? false;
  }
  return false;
}

/** The user's file at `path`, or undefined when there is none (a missing parent folder included). */
export function readProjectFile(projectDir: string, path: string): FileVersion | typeof FOLDER_IN_THE_WAY | typeof LINK_IN_THE_WAY | undefined {
  const full = join(projectDir, path);
  if (linkOnTheWay(projectDir, path)) return LINK_IN_THE_WAY;
  try {
    const info = statSync(full);
    if (info.isDirectory()) return FOLDER_IN_THE_WAY;
    return { data: readFileSync(full), mode: info.mode & 0o777 };
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}
