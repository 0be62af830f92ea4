import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { databaseEnv, PASSWORD, sameOrigin } from './helpers.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

/** Starts the real server (src/server.ts) on a free port and resolves once it listens. */
async function startServer(t: TestContext, extra: Record<string, string>) {
  const env = { ...(await databaseEnv(t)), ...extra };
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; port?: number };
    if (entry.msg === 'listening' && entry.port) return { child, url: `http://127.0.0.1:${entry.port}` };
  }
  throw new Error('the server exited before listening');
}

test('SIGTERM: readiness fails first, the in-flight request completes, then exit 0', async (t) => {
  const { child, url } = await startServer(t, { SHUTDOWN_GRACE_MS: '300', SHUTDOWN_TIMEOUT_MS: '5000' });
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');

  // An upload in progress: headers sent, half the body still to come.
  const body = JSON.stringify({ email: 'inflight@example.com', password: PASSWORD });
  const inFlight = request(`${url}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...sameOrigin },
  });
  const response = once(inFlight, 'response');
  inFlight.write(body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 100));

  child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));

  // During the grace period the instance says it is not ready...
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 503);

  // ...while the request in flight still completes.
  inFlight.end(body.slice(10));
  const [res] = (await response) as [import('node:http').IncomingMessage];
  assert.equal(res.statusCode, 201);
  res.resume();

  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
});

test('SIGINT shuts down as well, exit 0', async (t) => {
  const { child } = await startServer(t, { SHUTDOWN_GRACE_MS: '0' });
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
});
