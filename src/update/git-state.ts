import { execa } from 'execa';
import { UsageError } from '../errors.ts';

/**
 * An update rewrites files in place; git is how its user reviews it and takes it back. So by default
 * it runs only on a project whose work is committed: nothing modified, nothing untracked. Only the
 * project's own folder counts (it may be one package of a monorepo).
 */
const git = (cwd: string, args: readonly string[]) => execa('git', args, { cwd, reject: false, stdin: 'ignore' });

export async function refuseUncommittedWork(projectDir: string, shown: string): Promise<void> {
  const inside = await git(projectDir, ['rev-parse', '--is-inside-work-tree']);
  if (inside.code === 'ENOENT' || (inside.failed && inside.exitCode === undefined)) {
    throw new UsageError(`git was not found, so ${shown} cannot be checked for uncommitted work: pass --allow-dirty to update it anyway`);
  }
  if (inside.exitCode !== 0 || String(inside.stdout).trim() !== 'true') {
    throw new UsageError(`${shown} is not in a git repository, so the update could not be reviewed or undone: commit it to git first, or pass --allow-dirty`);
  }
  const status = await git(projectDir, ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=all', '--', '.']);
  if (status.failed) throw new UsageError(`git status failed in ${shown}: ${String(status.stderr).split('\n')[0]}; pass --allow-dirty to update anyway`);
  const files = String(status.stdout).split('\n').filter(Boolean).map((line) => line.slice(3));
  if (files.length === 0) return;
  const shownFiles = files.slice(0, 3).join(', ') + (files.length > 3 ? `, and ${files.length - 3} more` : '');
  throw new UsageError(`${shown} has uncommitted changes (${shownFiles}): commit or stash them first, so the update can be reviewed and undone, or pass --allow-dirty`);
}
