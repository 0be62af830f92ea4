import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults, loadConfig } from '../src/config.ts';
import { addressMatcher, proxyTrust } from '../src/http/trusted-proxies.ts';
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

/** The tests reach the app from 127.0.0.1; with only this range trusted, that is a client with no proxy between. */
const NOT_LOOPBACK = { TRUST_PROXY: '1', TRUST_PROXY_FROM: '192.0.2.0/24' };

test('a client reaching the port directly from outside TRUST_PROXY_FROM cannot dodge its limit or aim it at someone else', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, { ...NOT_LOOPBACK, RATE_LIMIT_GLOBAL: '3/1m' }, { logger });
  // A fresh made-up address on every request: still the socket's one bucket.
  assert.equal((await from(url, '203.0.113.1')).status, 401);
  assert.equal((await from(url, '10.9.9.9, 203.0.113.2')).status, 401);
  assert.equal((await from(url, '203.0.113.60')).status, 401);
  assert.equal((await from(url, '203.0.113.4')).status, 429);
  assert.equal((await fetch(`${url}/api/v1/users/me`)).status, 429, 'the same bucket with no X-Forwarded-For at all');
  await new Promise((resolve) => setImmediate(resolve));
  // What was counted, and logged, is the attacker's own address, never the one it named (a victim's).
  const counted = lines().flatMap((line) => (line.req === undefined ? [] : [(line.req as Record<string, unknown>).remoteAddress]));
  assert.equal(counted.length, 5);
  assert.ok(counted.every((address) => address === '127.0.0.1'), counted.join(' '));
});

test('X-Forwarded-For from outside TRUST_PROXY_FROM is logged once, with the sender but not the header', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, NOT_LOOPBACK, { logger });
  const forged = `203.0.113.60, ${'x'.repeat(2048)}`;
  for (let i = 0; i < 3; i += 1) await from(url, forged);
  await new Promise((resolve) => setImmediate(resolve));
  const [warning, ...more] = lines().filter((line) => line.event === 'forwarded_for_from_untrusted');
  assert.ok(warning);
  assert.equal(more.length, 0, 'once');
  assert.equal(warning.level, 40, 'warn');
  assert.equal(warning.address, '127.0.0.1');
  assert.match(String(warning.msg), /^X-Forwarded-For from 127\.0\.0\.1, not a trusted proxy: ignored/);
  assert.ok(!JSON.stringify(warning).includes('203.0.113.60') && !JSON.stringify(warning).includes('xxxx'), 'the header is not echoed');
});

test('through a proxy in TRUST_PROXY_FROM (loopback, by default) no such warning', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, { TRUST_PROXY: '1' }, { logger });
  await from(url, '203.0.113.7');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lines().filter((line) => line.event === 'forwarded_for_from_untrusted').length, 0);
});

test('a hop is trusted only from TRUST_PROXY_FROM and within TRUST_PROXY', () => {
  const defaultRanges = addressMatcher(defaults.trustProxyFrom);
  const listed = addressMatcher(['192.0.2.7', '2001:db8::/32']);
  // [matcher, hops, address, hop, trusted]: Express asks hop 0 about the socket, hop 1 about the
  // right-most X-Forwarded-For entry (the proxy that handed the request over), and so on.
  const cases: [typeof listed, number, string, number, boolean][] = [
    [defaultRanges, 1, '127.0.0.1', 0, true],
    [defaultRanges, 1, '10.1.2.3', 0, true],
    [defaultRanges, 1, '172.31.255.255', 0, true],
    [defaultRanges, 1, '172.32.0.1', 0, false],
    [defaultRanges, 1, '192.168.1.1', 0, true],
    [defaultRanges, 1, '169.254.169.254', 0, true],
    [defaultRanges, 1, '203.0.113.60', 0, false],
    [defaultRanges, 1, '::1', 0, true],
    [defaultRanges, 1, 'fd12:3456::1', 0, true],
    [defaultRanges, 1, 'fe80::1', 0, true],
    [defaultRanges, 1, '2001:db8::1', 0, false],
    [defaultRanges, 1, '::ffff:10.0.0.1', 0, true],
    [defaultRanges, 1, '::ffff:203.0.113.60', 0, false],
    [defaultRanges, 1, '10.0.0.1', 1, false],
    [defaultRanges, 2, '10.0.0.1', 1, true],
    [defaultRanges, 2, '10.0.0.1:1111', 1, true],
    [defaultRanges, 2, '203.0.113.60', 1, false],
    [defaultRanges, 2, 'unknown', 1, false],
    [defaultRanges, 2, '10.0.0.1', 2, false],
    [defaultRanges, 0, '127.0.0.1', 0, false],
    [listed, 1, '192.0.2.7', 0, true],
    [listed, 1, '::ffff:192.0.2.7', 0, true],
    [listed, 1, '192.0.2.8', 0, false],
    [listed, 1, '2001:db8:ffff::1', 0, true],
    [listed, 1, '2001:db9::1', 0, false],
    [listed, 1, '127.0.0.1', 0, false],
  ];
  for (const [matcher, hops, address, hop, trusted] of cases) {
    assert.equal(proxyTrust(hops, matcher)(address, hop), trusted, `${address} at hop ${String(hop)} of ${String(hops)}`);
  }
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
