import { execa } from 'execa';
import type { Output } from '../ui/output.ts';

/**
 * `git init` and a first commit. Skipped with a warning when git is missing or the project sits inside
 * another work tree (a monorepo: its own repository should take the files). The commit works without a
 * configured identity, and never signs, so it cannot hang on a key passphrase.
 */
async function git(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  return execa('git', args, { cwd, reject: false, stdin: 'ignore', env });
}

async function configured(cwd: string, key: string): Promise<boolean> {
  const { exitCode, stdout } = await git(cwd, ['config', '--get', key]);
  return exitCode === 0 && stdout.trim() !== '';
}

export async function initRepository(cwd: string, out: Output, generatorName: string): Promise<boolean> {
  const version = await git(cwd, ['--version']);
  if (version.failed) {
    out.warn('git was not found; skipped git init (run it yourself once git is installed)');
    return false;
  }
  const inside = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (inside.exitCode === 0) {
    out.warn(`the project is inside the git work tree ${inside.stdout.trim()}; skipped git init`);
    return false;
  }
  const hasIdentity = (await configured(cwd, 'user.email')) && (await configured(cwd, 'user.name'));
  const email = `${generatorName}@users.noreply.localhost`;
  const identity: Record<string, string> = hasIdentity
    ? {}
    : { GIT_AUTHOR_NAME: generatorName, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: generatorName, GIT_COMMITTER_EMAIL: email };
  const branch = (await configured(cwd, 'init.defaultBranch')) ? [] : ['-c', 'init.defaultBranch=main'];
  const steps: readonly (readonly string[])[] = [
    [...branch, 'init', '--quiet'],
    ['add', '--all'],
    ['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-m', `Initial commit from ${generatorName}`],
  ];
  for (const args of steps) {
    const result = await git(cwd, args, identity);
    if (result.failed) {
      const command = args.find((arg) => ['init', 'add', 'commit'].includes(arg));
      out.warn(`git ${command} failed: ${String(result.stderr || result.message || '').split('\n')[0]}; the project is in place without a repository`);
      return false;
    }
  }
  out.success('Created a git repository with a first commit');
  return true;
}
