import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { databaseEnv } from './helpers.ts';
import { PROJECT, startScript } from './processes.ts';

const DEV = join(PROJECT, 'scripts/dev.ts');
// Ctrl-C on a terminal signals the whole process group; Windows has no such thing to send. A restart
// that never comes fails the test rather than hanging it.
const OPTIONS = { skip: process.platform === 'win32' ? 'process groups are POSIX' : false, timeout: 30_000 };

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/**
 * `npm run dev`'s runner in a folder of its own (where it looks for `.env`), in a process group of its
 * own, as on a terminal. `listening()` resolves with the next "listening" log line.
 */
async function startDev(t: TestContext, { env = {}, envFile }: { env?: Record<string, string>; envFile?: string }) {
  const cwd = mkdtempSync(join(tmpdir(), 'dev-'));
  t.after(() => {
    rmSync(cwd, { recursive: true, force: true });
  });
  if (envFile !== undefined) writeFileSync(join(cwd, '.env'), envFile);
  const dev = startScript(t, DEV, { env: { HOST: '127.0.0.1', ...(await databaseEnv(t)), ...env }, cwd, group: true });
  return {
    cwd,
    listening: () => dev.logged('listening'),
    /** Ctrl-C: SIGINT to every process of the group. */
    interrupt: async () => {
      dev.signal('SIGINT');
      return { ...(await dev.exited), stderr: dev.output.stderr };
    },
  };
}

test('npm run dev without a .env: development mode, and Ctrl-C ends it cleanly', OPTIONS, async (t) => {
  const dev = await startDev(t, { env: { PORT: '0' } });
  assert.equal((await dev.listening()).env, 'development');
  assert.deepEqual(await dev.interrupt(), { code: 0, signal: null, stderr: '' });
});

test('npm run dev reads .env and restarts on every change to it, however it is saved', OPTIONS, async (t) => {
  const [first, second, third] = [await freePort(), await freePort(), await freePort()];
  const dev = await startDev(t, { envFile: `PORT=${first}\n` });
  assert.equal((await dev.listening()).port, first);

  // Replaced, as most editors save: a new file renamed over the old one.
  const envFile = join(dev.cwd, '.env');
  writeFileSync(`${envFile}.tmp`, `PORT=${second}\n`);
  renameSync(`${envFile}.tmp`, envFile);
  assert.equal((await dev.listening()).port, second);

  // Written in place, after a restart.
  writeFileSync(envFile, `PORT=${third}\n`);
  assert.equal((await dev.listening()).port, third);

  assert.deepEqual(await dev.interrupt(), { code: 0, signal: null, stderr: '' });
});
