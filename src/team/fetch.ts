import { stat } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fs from 'fs-extra';
import { UsageError } from '../errors.ts';
import { removeOnAbort } from '../run/cleanup.ts';
import { gitDeadline } from './git-timeout.ts';
import { gitWithin } from './git-with-deadline.ts';
import { filesOf, refuseLargeFiles, type SizedFile } from './size-limits.ts';
import type { TemplateLocation } from './template-spec.ts';

/** Folders of a local template that are not part of it. */
const COPIED_NOT: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/**
 * Brings a team template into a private temporary folder: a local folder is copied, a git repository is
 * fetched shallowly at its ref (branch, tag or commit). The caller removes the folder when the run ends.
 */
export interface FetchedTemplate extends TemplateLocation {
  /** The template's files. */
  readonly dir: string;
  /** The temporary folder holding `dir`: remove it when the run ends, whatever happens. */
  readonly root: string;
  readonly commit?: string;
}

const firstLine = (text: string) => text.split('\n').find((line) => line.trim() !== '')?.replace(/^fatal: /, '') ?? 'no reason given';

/** What `git ls-tree -r -l -z` lists: `<mode> <type> <object> <size>\t<path>`, each entry ended by NUL. */
function blobSizes(listing: string): SizedFile[] {
  return listing
    .split('\0')
    .map((entry) => /^\d+ blob \w+ +(\d+)\t(.*)$/s.exec(entry))
    .filter((match) => match !== null)
    .map((match) => ({ path: match[2] ?? '', size: Number(match[1]) }));
}

async function fetchGit(location: TemplateLocation, dir: string): Promise<string> {
  const url = location.url ?? location.source;
  const deadline = gitDeadline();
  const git = (args: readonly string[]) => gitWithin(deadline, location.source, args);
  const reachable = await git(['ls-remote', '--quiet', url, 'HEAD']);
  if (reachable.failed) {
    throw new UsageError(`--template: cannot reach ${location.source}: ${firstLine(String(reachable.stderr ?? reachable.message ?? ''))}`);
  }
  const steps = [
    ['init', '--quiet', dir],
    ['-C', dir, 'remote', 'add', 'origin', url],
    ['-C', dir, 'fetch', '--quiet', '--depth', '1', 'origin', location.ref ?? 'HEAD'],
    // Sizes are known before checkout writes anything: a file of zeros packs to almost nothing.
    ['-C', dir, 'ls-tree', '-r', '-l', '-z', 'FETCH_HEAD'],
    ['-C', dir, '-c', 'advice.detachedHead=false', 'checkout', '--quiet', 'FETCH_HEAD'],
  ];
  for (const args of steps) {
    const result = await git(args);
    if (result.failed) {
      const what = args.includes('fetch') && location.ref ? `unknown ref ${JSON.stringify(location.ref)} in ${location.source}` : `git ${args[2] ?? args[0]} failed`;
      throw new UsageError(`--template: ${what}: ${firstLine(String(result.stderr ?? ''))}`);
    }
    if (args.includes('ls-tree')) refuseLargeFiles(blobSizes(String(result.stdout)), location.shown);
  }
  const head = await git(['-C', dir, 'rev-parse', 'HEAD']);
  await fs.remove(join(dir, '.git'));
  return String(head.stdout).trim();
}

export async function fetchTemplate(location: TemplateLocation): Promise<FetchedTemplate> {
  const dir = await mkdtemp(join(tmpdir(), 'create-secure-express-template-'));
  removeOnAbort(dir);
  if (location.kind === 'git') {
    const commit = await fetchGit(location, join(dir, 'repo'));
    return { ...location, dir: join(dir, 'repo'), root: dir, commit };
  }
  const info = await stat(location.source).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--template: ${location.source} is not a folder or a git URL`);
  try {
    refuseLargeFiles(filesOf(location.source, COPIED_NOT), location.shown);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--template ${location.shown}: cannot read it: ${(error as Error).message.split('\n')[0]}`);
  }
  await fs
    .copy(location.source, join(dir, 'repo'), {
      filter: (path) => !path.slice(location.source.length).split(/[\\/]/).some((name) => COPIED_NOT.has(name)),
    })
    // A socket, a FIFO or an unreadable file: a template folder holds plain files.
    .catch((error: Error) => {
      throw new UsageError(`--template ${location.shown}: cannot copy it: ${error.message.split('\n')[0]}`);
    });
  return { ...location, dir: join(dir, 'repo'), root: dir };
}
