import { execa } from 'execa';
import type { PackageManager } from '../options/answers.ts';
import type { Output } from '../ui/output.ts';

/**
 * Installs the generated project's dependencies with the chosen package manager. Its output is kept and
 * shown only when it fails; on a terminal a timer shows that it is still working. A failed install
 * leaves the project in place: the caller tells the user how to finish by hand.
 */
export async function installDependencies(cwd: string, pm: PackageManager, out: Output): Promise<boolean> {
  out.step(`Installing dependencies with ${pm}…`);
  const started = Date.now();
  const ticker = out.color
    ? setInterval(() => process.stdout.write(`\r  ${out.dim(`${Math.round((Date.now() - started) / 1000)}s`)} `), 1000)
    : undefined;
  try {
    const result = await execa(pm, ['install'], { cwd, all: true, reject: false, stdin: 'ignore' });
    if (ticker) process.stdout.write('\r\u001B[K');
    if (result.failed) {
      const reason = result.code === 'ENOENT' ? `${pm} was not found` : `${pm} install exited with code ${result.exitCode}`;
      if (result.all) out.info(result.all.trimEnd());
      out.warn(`${reason}; the project is in place: run "${pm} install" in it to finish`);
      return false;
    }
    out.success(`Installed dependencies with ${pm} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return true;
  } finally {
    if (ticker) clearInterval(ticker);
  }
}
