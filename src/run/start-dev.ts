import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { PackageManager } from '../options/answers.ts';

/**
 * `<pm> run dev` in the new project, on this terminal, until the user stops it. Ctrl-C reaches every
 * process of the terminal: the dev server shuts down gracefully on it, and this process waits for that
 * rather than exiting under it. Stopped that way is the normal end of a dev server, so it exits 0.
 */
export async function startDevServer(cwd: string, pm: PackageManager): Promise<number> {
  const waitForTheServer = () => {};
  process.on('SIGINT', waitForTheServer);
  try {
    // Windows runs npm, pnpm and yarn through their .cmd shims, which only a shell can start.
    const child = spawn(pm, ['run', 'dev'], { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    return signal === 'SIGINT' || code === 130 ? 0 : (code ?? 1);
  } finally {
    process.off('SIGINT', waitForTheServer);
  }
}
