import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { databaseEnv, PASSWORD, sameOrigin } from './helpers.ts';
import { says, startServer } from './processes.ts';

// The shutdown is followed through the log and through requests held open, never through sleeps: a
// request whose body or headers are still to come keeps the server waiting for it, however long.

/** The real server with a database of its own (it opens it before it listens). */
async function server(t: TestContext, env: Record<string, string>) {
  return startServer(t, { ...(await databaseEnv(t)), ...env });
}

/**
 * A sign-up on a keep-alive connection whose body is still to come: a request in flight until
 * `finish()`. It resolves once the server has read its headers (it answers `100 Continue`), so the
 * request is the server's before the test goes on.
 */
async function uploadInFlight(url: string): Promise<{ response: Promise<IncomingMessage>; finish: () => void }> {
  const body = JSON.stringify({ email: 'inflight@example.com', password: PASSWORD });
  const req: ClientRequest = request(`${url}/api/v1/users`, {
    method: 'POST',
    agent: new Agent({ keepAlive: true }),
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue', ...sameOrigin },
  });
  const response = once(req, 'response').then(([res]) => {
    (res as IncomingMessage).resume();
    return res as IncomingMessage;
  });
  req.flushHeaders();
  await once(req, 'continue');
  return { response, finish: () => req.end(body) };
}

/** A connection that has sent `head` and reads everything that comes back until it closes. */
async function rawConnection(port: number, head: string): Promise<{ socket: Socket; received: () => string; closed: Promise<unknown> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = once(socket, 'close');
  socket.write(head);
  return { socket, received: () => received, closed };
}

/** The answer to a GET on a connection of its own that the client would keep alive, as load balancers do. */
async function get(url: string): Promise<IncomingMessage> {
  const req = request(url, { agent: new Agent({ keepAlive: true }) });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  res.resume();
  return res;
}

test('SIGTERM: the in-flight request completes and closes its connection, then exit 0', async (t) => {
  // No grace period: the server stops accepting at once, and still serves what it had accepted.
  const running = await server(t, { SHUTDOWN_GRACE_MS: '0' });
  const upload = await uploadInFlight(running.url);

  running.signal('SIGTERM');
  await running.logged('shutting down');

  // ...instead of keeping the connection alive to race the deadline.
  upload.finish();
  const res = await upload.response;
  assert.equal(res.statusCode, 202);
  assert.equal(res.headers.connection, 'close');
  assert.deepEqual(await running.exited, { code: 0, signal: null });
});

test('SIGTERM: readiness fails first, while connections are still accepted; idle keep-alive connections close at once, responses during the grace period close theirs', async (t) => {
  // The longest grace period: everything below happens inside it, however slow the machine.
  const running = await server(t, { SHUTDOWN_GRACE_MS: '60000', SHUTDOWN_TIMEOUT_MS: '120000' });

  // A connection kept alive after its response, idle when the signal comes.
  const idle = await rawConnection(running.port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await once(idle.socket, 'data');
  assert.match(idle.received(), /^HTTP\/1\.1 200 .*\r\nConnection: keep-alive\r\n/s);

  running.signal('SIGTERM');
  await running.logged('shutting down');
  await idle.closed;

  // The server still accepts connections during the grace period, says it is not ready, and says the
  // connection will not be reused.
  const res = await get(`${running.url}/readyz`);
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers.connection, 'close');
});

test('SIGINT shuts down as well, and a repeated signal changes nothing: exit 0', async (t) => {
  const running = await server(t, { SHUTDOWN_GRACE_MS: '0' });
  // Held open, so the process is still there when the second signal comes.
  const upload = await uploadInFlight(running.url);
  running.signal('SIGINT');
  await running.logged('shutting down');
  running.signal('SIGINT');
  // Whatever the second signal did, it did before the server reads the rest of the upload.
  upload.finish();
  assert.equal((await upload.response).statusCode, 202);
  assert.deepEqual(await running.exited, { code: 0, signal: null });
  assert.equal(running.output.stdout.split('\n').filter(says('shutting down')).length, 1);
});
