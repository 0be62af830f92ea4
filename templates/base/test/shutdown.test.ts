import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { databaseEnv, PASSWORD, sameOrigin } from './helpers.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

interface RunningServer {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Resolves when the server has logged this message. */
  logged(message: string): Promise<void>;
}

/**
 * Starts the real server (src/server.ts) on a free port and resolves once it listens. The test follows
 * the shutdown through the log rather than through sleeps, so a loaded machine cannot outrun it.
 */
async function startServer(t: TestContext, extra: Record<string, string>): Promise<RunningServer> {
  // A database of its own: the server opens it before it listens.
  const env = { ...(await databaseEnv(t)), ...extra };
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen = new Map<string, Record<string, unknown>>();
  const waiting = new Map<string, () => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const message = String(entry.msg);
    seen.set(message, entry);
    waiting.get(message)?.();
  });
  const exited = once(child, 'exit');
  const logged = (message: string) =>
    seen.has(message)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiting.set(message, resolve)),
          exited.then(() => {
            throw new Error(`the server exited before logging "${message}"`);
          }),
        ]);
  await logged('listening');
  const port = Number(seen.get('listening')?.port);
  return { child, port, url: `http://127.0.0.1:${port}`, logged };
}

/** A GET on a connection of its own that the client would keep alive, as load balancers do. */
function get(url: string): Promise<IncomingMessage> {
  const agent = new Agent({ keepAlive: true });
  const req = request(url, { agent });
  req.end();
  return once(req, 'response').then(([res]) => {
    (res as IncomingMessage).resume();
    return res as IncomingMessage;
  });
}

test('SIGTERM: readiness fails first, the in-flight request completes, then exit 0', async (t) => {
  const server = await startServer(t, { SHUTDOWN_GRACE_MS: '1000', SHUTDOWN_TIMEOUT_MS: '5000' });
  t.after(() => server.child.kill('SIGKILL'));
  const exited = once(server.child, 'exit');

  // An upload in progress on a keep-alive connection: headers sent, half the body still to come.
  const body = JSON.stringify({ email: 'inflight@example.com', password: PASSWORD });
  const inFlight = request(`${server.url}/api/v1/users`, {
    method: 'POST',
    agent: new Agent({ keepAlive: true }),
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...sameOrigin },
  });
  const response = once(inFlight, 'response');
  inFlight.write(body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 100));

  server.child.kill('SIGTERM');
  await server.logged('shutting down');

  // During the grace period the instance says it is not ready...
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 503);

  // ...while the request in flight still completes, and closes its connection instead of keeping it
  // alive to race the deadline.
  inFlight.end(body.slice(10));
  const [res] = (await response) as [IncomingMessage];
  assert.equal(res.statusCode, 202);
  assert.equal(res.headers.connection, 'close');
  res.resume();

  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
});

test('SIGTERM: idle keep-alive connections close at once; responses during the grace period close theirs', async (t) => {
  const server = await startServer(t, { SHUTDOWN_GRACE_MS: '2000', SHUTDOWN_TIMEOUT_MS: '8000' });
  t.after(() => server.child.kill('SIGKILL'));
  const exited = once(server.child, 'exit');

  // A connection kept alive after its response, idle when the signal comes.
  const idle = connect(server.port, '127.0.0.1');
  idle.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
  const [first] = (await once(idle, 'data')) as [Buffer];
  assert.match(first.toString(), /^HTTP\/1\.1 200 .*\r\nConnection: keep-alive\r\n/s);
  idle.resume();
  const idleClosed = once(idle, 'close');

  server.child.kill('SIGTERM');
  await server.logged('shutting down');
  await idleClosed;

  // The grace period is not over (the server still accepts connections), and what it answers now
  // says the connection will not be reused.
  const res = await get(`${server.url}/readyz`);
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers.connection, 'close');

  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
});

test('SIGINT shuts down as well, and a repeated signal changes nothing: exit 0', async (t) => {
  const server = await startServer(t, { SHUTDOWN_GRACE_MS: '200' });
  t.after(() => server.child.kill('SIGKILL'));
  const exited = once(server.child, 'exit');
  server.child.kill('SIGINT');
  await server.logged('shutting down');
  server.child.kill('SIGINT');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  assert.deepEqual({ code, signal }, { code: 0, signal: null });
});
