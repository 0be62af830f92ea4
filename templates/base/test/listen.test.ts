import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { databaseEnv } from './helpers.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const OPTIONS = { timeout: 30_000 };

/** src/server.ts as `npm run dev` runs it, with what it prints so far. */
async function startServer(t: TestContext, env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...(await databaseEnv(t)), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  /** Resolves once stdout matches `pattern`; rejects if the server exits first. */
  const printed = async (pattern: RegExp) => {
    while (!pattern.test(output.stdout)) {
      await Promise.race([once(child.stdout, 'data'), exited.then(() => Promise.reject(new Error(`the server exited:\n${output.stderr}`)))]);
    }
  };
  return { child, output, exited, printed };
}

const listeningPort = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; port?: number })
    .find((entry) => entry.msg === 'listening')?.port;

test('in development, the server prints the address to open once it listens', OPTIONS, async (t) => {
  const server = await startServer(t, { NODE_ENV: 'development', PORT: '0' });
  await server.printed(/Local: .*\n/);
  // The log line is buffered (log.ts): it may reach the pipe a moment after the address.
  await server.printed(/"msg":"listening"/);
  const port = listeningPort(server.output.stdout);
  assert.ok(port);
  assert.ok(server.output.stdout.includes(`\n  Local: http://127.0.0.1:${String(port)}\n`), server.output.stdout);
  assert.equal((await fetch(`http://127.0.0.1:${String(port)}/healthz`)).status, 200);
});

test('outside development, only the log lines: no address among the JSON', OPTIONS, async (t) => {
  const server = await startServer(t, { NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0' });
  await server.printed(/"msg":"listening"/);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
  assert.doesNotMatch(server.output.stdout, /Local:/);
});

test('a port already in use stops the start with one line naming PORT, and exit code 1', OPTIONS, async (t) => {
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  t.after(() => taken.close());
  const { port } = taken.address() as { port: number };
  const server = await startServer(t, { NODE_ENV: 'development', PORT: String(port) });
  assert.equal(await server.exited, 1);
  assert.equal(server.output.stderr, `PORT ${String(port)} is already in use on 127.0.0.1: stop what listens there, or set PORT to a free port\n`);
});
