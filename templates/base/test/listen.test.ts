import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test, type TestContext } from 'node:test';
import { databaseEnv } from './helpers.ts';
import { startScript } from './processes.ts';

const OPTIONS = { timeout: 30_000 };

/** src/server.ts as `npm run dev` runs it, on a database of its own. */
async function startServer(t: TestContext, env: Record<string, string>) {
  return startScript(t, 'src/server.ts', { env: { HOST: '127.0.0.1', ...(await databaseEnv(t)), ...env } });
}

test('in development, the server prints the address to open once it listens', OPTIONS, async (t) => {
  const server = await startServer(t, { NODE_ENV: 'development', PORT: '0' });
  // The log line is buffered (log.ts): it may reach the pipe a moment after the address.
  await server.printed(/Local: .*\n/);
  await server.printed(/"msg":"listening"/);
  const port = Number((JSON.parse(server.output.stdout.split('\n').find((text) => text.includes('"msg":"listening"')) ?? '{}') as { port?: number }).port);
  assert.ok(port);
  assert.ok(server.output.stdout.includes(`\n  Local: http://127.0.0.1:${String(port)}\n`), server.output.stdout);
  assert.equal((await fetch(`http://127.0.0.1:${String(port)}/healthz`)).status, 200);
});

test('outside development, only the log lines: no address among the JSON', OPTIONS, async (t) => {
  const server = await startServer(t, { NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0' });
  await server.logged('listening');
  server.signal('SIGTERM');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  assert.doesNotMatch(server.output.stdout, /Local:/);
});

test('a port already in use stops the start with one line naming PORT, and exit code 1', OPTIONS, async (t) => {
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  t.after(() => taken.close());
  const { port } = taken.address() as { port: number };
  const server = await startServer(t, { NODE_ENV: 'development', PORT: String(port) });
  assert.equal((await server.exited).code, 1);
  assert.equal(server.output.stderr, `PORT ${String(port)} is already in use on 127.0.0.1: stop what listens there, or set PORT to a free port\n`);
});
