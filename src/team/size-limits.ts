import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { MANIFEST_FILE } from './manifest-schema.ts';

/**
 * The largest files a team template may hold. The generator reads a template's files whole (to render
 * them, copy them, and compare them during an update), so a 2 GB file, or one of zeros that compresses
 * to nothing in git, would take the machine's memory. Real templates hold source files and perhaps an
 * image: far below these. The sizes are checked before a file is copied or checked out.
 */
const MiB = 1024 * 1024;
export const FILE_LIMIT = 10 * MiB;
export const MANIFEST_LIMIT = MiB / 4;

const limitOf = (path: string) => (path === MANIFEST_FILE ? MANIFEST_LIMIT : FILE_LIMIT);

function bytes(size: number): string {
  const [unit, scale] = size >= 1024 * MiB ? ['GiB', 1024 * MiB] : size >= MiB ? ['MiB', MiB] : ['KiB', 1024];
  const value = size / (scale as number);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit as string}`;
}

export interface SizedFile {
  /** Relative to the template's top folder, with `/`. */
  readonly path: string;
  readonly size: number;
}

export function refuseLargeFiles(files: Iterable<SizedFile>, shown: string): void {
  for (const { path, size } of files) {
    const limit = limitOf(path);
    if (size > limit) {
      const what = path === MANIFEST_FILE ? 'the manifest' : 'a template file';
      throw new UsageError(`--template ${shown}: ${path} is ${bytes(size)} (${size} bytes); ${what} may be at most ${bytes(limit)}`);
    }
  }
}

/** The plain files of a local template folder and their sizes, without following links; `skip` names folders left out. */
export function* filesOf(dir: string, skip: ReadonlySet<string>, prefix = ''): Generator<SizedFile> {
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) yield* filesOf(dir, skip, path);
    } else if (entry.isFile()) {
      yield { path, size: lstatSync(join(dir, path)).size };
    }
  }
}
