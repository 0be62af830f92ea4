import { execa } from 'execa';
import { CancelledError } from '../errors.ts';
import type { PackageManager } from '../options/answers.ts';
import type { Output } from '../ui/output.ts';

/**
 * Installs the generated project's dependencies with the chosen package manager. Its output is kept and
 * shown only when it fails; on a terminal a spinner shows the seconds elapsed. A failed install leaves
 * the project in place: the caller tells the user how to finish by hand.
 */
export async function installDependencies(cwd: string, pm: PackageManager, out: Output): Promise<boolean> {
  const started = Date.now();
  const stop = out.spin(`Installing dependencies with ${pm}…`);
  let result;
  try {
    result = await execa(pm, ['install'], { cwd, all: true, reject: false, stdin: 'ignore' });
  } finally {
    stop();
  }
  // Ctrl-C reaches the package manager too; its end is the user's choice, not a failure to report.
  if (result.signal === 'SIGINT') throw new CancelledError();
  if (result.failed) {
    const reason = result.code === 'ENOENT' ? `${pm} was not found` : `${pm} install exited with code ${result.exitCode}`;
    if (result.all) out.info(result.all.trimEnd());
    out.warn(`${reason}; the project is in place: run "${pm} install" in it to finish`);
    return false;
  }
  out.success(`Installed dependencies with ${pm} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return true;
}
