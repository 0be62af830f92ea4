import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { test } from 'node:test';
import { createApp } from '../src/app.ts';
import { createHttpServer, SERVER_TIMEOUTS } from '../src/http/http-server.ts';
import { testConfig, testDatabase } from './helpers.ts';

test('the server is created with a 10 s headers timeout and a 30 s request timeout', async (t) => {
  const server = createHttpServer(createApp(testConfig(), { database: await testDatabase(t) }));
  assert.equal(server.headersTimeout, 10_000);
  assert.equal(server.requestTimeout, 30_000);
  assert.equal(SERVER_TIMEOUTS.headersTimeout, 10_000);
  assert.ok(server.keepAliveTimeout < server.headersTimeout);
});

test('a client trickling its headers is cut off when the headers timeout passes', async (t) => {
  // The same server with the timeouts scaled down, so the test takes a fraction of a second.
  const server = createHttpServer(createApp(testConfig(), { database: await testDatabase(t) }), {
    headersTimeout: 300,
    requestTimeout: 600,
    keepAliveTimeout: 100,
    connectionsCheckingInterval: 50,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());

  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  // A header line written after the server has cut the connection fails (EPIPE, ECONNRESET): expected.
  socket.on('error', () => undefined);
  socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
  const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 50);
  await new Promise((resolve) => socket.once('close', resolve));
  clearInterval(trickle);

  const elapsed = Date.now() - started;
  assert.ok(elapsed < 2000, `closed after ${elapsed} ms`);
  assert.match(received, /^HTTP\/1\.1 408 /);
});
