import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { captureLogs, startApp, testConfig } from './helpers.ts';

function from(url: string, forwardedFor: string): Promise<Response> {
  return fetch(`${url}/api/v1/users/me`, { headers: { 'x-forwarded-for': forwardedFor } });
}

test('with no proxy (TRUST_PROXY=0) a client cannot pick its own address with X-Forwarded-For', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '0', RATE_LIMIT_GLOBAL: '2/1m' });
  assert.equal((await from(url, '1.1.1.1')).status, 401);
  assert.equal((await from(url, '2.2.2.2')).status, 401);
  // Still the same client (the socket address), so the same bucket.
  assert.equal((await from(url, '3.3.3.3')).status, 429);
});

test('behind one proxy (TRUST_PROXY=1) the right-most X-Forwarded-For address is the client', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_GLOBAL: '1/1m' });
  assert.equal((await from(url, '10.9.9.9, 203.0.113.7')).status, 401);
  // The client prepended a made-up address; the proxy appended the real one: same bucket.
  assert.equal((await from(url, '1.1.1.1, 203.0.113.7')).status, 429);
  // The left-most entry is ignored even when it is all there is besides the real address.
  assert.equal((await from(url, '203.0.113.7, 203.0.113.8')).status, 401, 'a different real address');
});

test('trust proxy is a hop count, never true', () => {
  assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY: expected the number of reverse proxies/);
  assert.throws(() => loadConfig({ TRUST_PROXY: '11' }), /TRUST_PROXY/);
  assert.equal(testConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
});

const WITHOUT_PROXY = 'request_without_proxy';

test('with TRUST_PROXY > 0, requests arriving without X-Forwarded-For (no proxy in front) are logged once', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, { TRUST_PROXY: '1' }, { logger });
  const warnings = () => lines().filter((line) => line.event === WITHOUT_PROXY);
  // Probes call the app directly by design, and requests through the proxy carry the header.
  await fetch(`${url}/healthz`);
  await fetch(`${url}/readyz`);
  await from(url, '203.0.113.7');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(warnings().length, 0);

  for (let i = 0; i < 3; i += 1) await fetch(`${url}/api/v1/users/me`);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(warnings().length, 1);
  assert.equal(warnings()[0]?.level, 40, 'warn');
  assert.match(String(warnings()[0]?.msg), /TRUST_PROXY is above 0 but a request arrived without X-Forwarded-For/);
});

test('with TRUST_PROXY=0 a request without X-Forwarded-For is the normal case: no warning', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, { TRUST_PROXY: '0' }, { logger });
  await fetch(`${url}/api/v1/users/me`);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lines().filter((line) => line.event === WITHOUT_PROXY).length, 0);
});
