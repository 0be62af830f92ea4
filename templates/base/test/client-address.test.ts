import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeAddress } from '../src/http/client-address.ts';
import { captureLogs, startApp } from './helpers.ts';

test('client addresses are reduced to the bare IP address', () => {
  const cases: [string, string][] = [
    ['203.0.113.9', '203.0.113.9'],
    ['203.0.113.9:1111', '203.0.113.9'],
    ['[2001:db8::1]:1111', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::1', '::1'],
    // Not an address with a port: left alone.
    ['203.0.113.9:99999999', '203.0.113.9:99999999'],
    ['999.0.113.9:1111', '999.0.113.9:1111'],
    ['[not-an-ip]:1', '[not-an-ip]:1'],
    ['unknown', 'unknown'],
  ];
  for (const [raw, expected] of cases) assert.equal(normalizeAddress(raw), expected, raw);
});

test('a port appended to X-Forwarded-For does not make a new client: one rate-limit bucket', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_GLOBAL: '1/1m' });
  const from = (forwardedFor: string) => fetch(`${url}/api/v1/users/me`, { headers: { 'x-forwarded-for': forwardedFor } });
  assert.equal((await from('203.0.113.9:1111')).status, 401);
  assert.equal((await from('203.0.113.9:2222')).status, 429);
  assert.equal((await from('203.0.113.9')).status, 429);
  assert.equal((await from('[2001:db8::1]:1111')).status, 401);
  assert.equal((await from('[2001:db8::1]:2222')).status, 429);
});

test('the log line shows the bare client address', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, { TRUST_PROXY: '1' }, { logger });
  await fetch(`${url}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.9:1111' } });
  await new Promise((resolve) => setImmediate(resolve));
  const request = lines().find((line) => line.req !== undefined)?.req as Record<string, unknown> | undefined;
  assert.equal(request?.remoteAddress, '203.0.113.9');
});

test('an X-Forwarded-For entry that is not an IP address falls back to the socket address', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_GLOBAL: '1/1m' }, { logger });
  const from = (forwardedFor: string) => fetch(`${url}/api/v1/users/me`, { headers: { 'x-forwarded-for': forwardedFor } });
  // Neither becomes a key of its own: both are the proxy's (here the test's) socket address, 127.0.0.1.
  assert.equal((await from('a'.repeat(12 * 1024))).status, 401);
  assert.equal((await from('unknown')).status, 429);
  assert.equal((await fetch(`${url}/api/v1/users/me`)).status, 429, 'the socket address: the same bucket');
  assert.equal((await from('203.0.113.9')).status, 401, 'a real address still counts on its own');
  await new Promise((resolve) => setImmediate(resolve));
  const logged = lines().flatMap((line) => (line.req === undefined ? [] : [(line.req as Record<string, unknown>).remoteAddress]));
  assert.deepEqual(logged, ['127.0.0.1', '127.0.0.1', '127.0.0.1', '203.0.113.9']);
});
