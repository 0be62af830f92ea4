import { execa, type Result } from 'execa';
import { UsageError } from '../errors.ts';
import { stopOnAbort } from '../run/cleanup.ts';
import { killTree } from '../run/kill-tree.ts';
import { GIT_TIMEOUT_VARIABLE, type GitDeadline } from './git-timeout.ts';

/**
 * git, for fetching a team template, within a time limit. A server that accepts the connection and
 * never answers would otherwise hold the generator forever (and a CI job until its own limit). Past the
 * deadline git is stopped with the helpers it started, and the run ends naming the source and the
 * limit; the caller's clean-up removes what it wrote.
 */
export async function gitWithin(deadline: GitDeadline, source: string, args: readonly string[]): Promise<Result> {
  const subprocess = execa('git', args, {
    reject: false,
    stdin: 'ignore',
    env: { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true' },
  });
  const stop = () => {
    if (subprocess.pid !== undefined && subprocess.exitCode === null) killTree(subprocess.pid);
  };
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), stop()), Math.max(0, deadline.at - Date.now()));
  const forget = stopOnAbort(stop);
  try {
    const result = await subprocess;
    if (timedOut) {
      // Exit 2, as when the source cannot be reached: `update --check` keeps exit 1 for "an update is available".
      throw new UsageError(`fetching ${source} took longer than ${deadline.seconds} s, so git was stopped (${GIT_TIMEOUT_VARIABLE} sets the limit, in seconds)`);
    }
    return result;
  } finally {
    clearTimeout(timer);
    forget();
  }
}
