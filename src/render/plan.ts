import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GenerationError, UsageError } from '../errors.ts';
import { CONTROL_CHARACTERS } from '../options/validators.ts';
import type { Layer } from './layers.ts';

/**
 * The list of files a run will write, worked out before anything is written so that `--dry-run` can
 * print it and the tests can check it. Template names map to output names by two rules: a `.hbs` file
 * is rendered and loses the extension, and a leading `_` becomes `.` (npm drops dotfiles such as
 * `.gitignore` from published packages, so they ship as `_gitignore`).
 */
export type PlannedFile =
  | { readonly target: string; readonly kind: 'render' | 'copy'; readonly source: string; readonly layer: string }
  | { readonly target: string; readonly kind: 'write'; readonly content: string; readonly layer: string };

export function outputPath(templatePath: string): string {
  return templatePath
    .split('/')
    .map((segment) => segment.replace(/^_/, '.'))
    .join('/')
    .replace(/\.hbs$/, '');
}

function listFiles(dir: string): string[] {
  try {
    // Folder by folder rather than with `recursive: true`, which on Node 22 and later stats every file (to
    // follow links to folders) and costs a path.relative per file to name it. Links are not followed, as
    // `recursive: true` did not on Node 20: a template's files are its own.
    const files: string[] = [];
    const walk = (folder: string, prefix: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (entry.isFile()) files.push(prefix + entry.name);
        else if (entry.isDirectory()) walk(join(folder, entry.name), `${prefix}${entry.name}/`);
      }
    };
    walk(dir, '');
    return files;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GenerationError(`template layer is missing: ${dir}`);
    }
    throw error;
  }
}

/**
 * `.git` as git, and the file systems it runs on, read it: any case (macOS and Windows ignore it),
 * trailing dots or spaces (Windows drops them), or its short name `GIT~1`.
 */
const GIT_FOLDER = /^(?:\.git[. ]*|git~\d+)$/i;

/**
 * Output paths no template may use. A file that would land in the project's `.git`
 * (`_git/hooks/post-commit`) is code: git runs its hooks, and its config names programs to run
 * (`core.fsmonitor`), at the generator's own first commit and at every commit or checkout after an
 * update; no template writes there, trusted or not. And file names are listed on the terminal (the dry
 * run, --force, update's plan): none may carry an escape sequence.
 */
function refuseOutputPath(target: string, layer: Layer): void {
  if (CONTROL_CHARACTERS.test(target)) throw new UsageError(`${JSON.stringify(target)} (from ${layer.id}): a file name with control characters; rename it`);
  if (target.split('/').some((segment) => GIT_FOLDER.test(segment))) {
    throw new UsageError(`${target} (from ${layer.id}) would be written into the repository's .git folder, where git runs hooks and reads its config; a template may not write there`);
  }
}

export interface PlanInput {
  readonly layers: readonly Layer[];
  /** Files made by code rather than templates (package.json, .secure-express.json). */
  readonly generated: Readonly<Record<string, string>>;
  /** Output paths to leave out (a team template's `remove`). */
  readonly remove?: readonly string[];
}

export function planFiles({ layers, generated, remove = [] }: PlanInput): PlannedFile[] {
  const byTarget = new Map<string, PlannedFile>();
  for (const layer of layers) {
    for (const file of listFiles(layer.dir)) {
      const target = outputPath(file);
      refuseOutputPath(target, layer);
      const kind = file.endsWith('.hbs') ? 'render' : 'copy';
      byTarget.set(target, { target, kind, source: join(layer.dir, file), layer: layer.id });
    }
  }
  for (const [target, content] of Object.entries(generated)) {
    byTarget.set(target, { target, kind: 'write', content, layer: 'generator' });
  }
  for (const target of remove) byTarget.delete(target);
  return [...byTarget.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}
