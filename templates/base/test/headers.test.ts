import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readiness } from '../src/readiness.ts';
import { failingDatabase, PASSWORD, postJson, rawExchange, sameOrigin, startApp, testDatabase } from './helpers.ts';

/** The headers every response must carry, whatever its status. */
function assertSecurityHeaders(res: Response): void {
  const h = res.headers;
  assert.equal(h.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
  assert.equal(h.get('x-frame-options'), 'DENY');
  assert.equal(h.get('strict-transport-security'), 'max-age=63072000; includeSubDomains');
  assert.equal(h.get('x-content-type-options'), 'nosniff');
  assert.equal(h.get('referrer-policy'), 'no-referrer');
  assert.equal(h.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(h.get('cross-origin-resource-policy'), 'same-origin');
  assert.equal(h.get('cross-origin-embedder-policy'), 'require-corp');
  assert.equal(h.get('x-permitted-cross-domain-policies'), 'none');
  assert.equal(h.get('x-xss-protection'), '0');
  assert.equal(h.get('cache-control'), 'no-store');
  assert.equal(h.get('x-powered-by'), null);
  const permissions = (h.get('permissions-policy') ?? '').split(', ');
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'sync-xhr', 'fullscreen']) {
    assert.ok(permissions.includes(`${feature}=()`), `Permissions-Policy disables ${feature}`);
  }
  // Every listed feature is disabled: no allowlist anywhere.
  for (const directive of permissions) assert.match(directive, /^[a-z-]+=\(\)$/);
}

test('a successful response carries every security header', async (t) => {
  const { url } = await startApp(t);
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  assertSecurityHeaders(res);
});

test('error responses carry them too: 400, 401, 404, 405, 413, 415', async (t) => {
  const { url } = await startApp(t);
  const responses = [
    await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...sameOrigin }, body: '{"a":' }),
    await fetch(`${url}/api/v1/users/me`),
    await fetch(`${url}/no/such/route`),
    await fetch(`${url}/healthz`, { method: 'DELETE', headers: sameOrigin }),
    await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: 'x'.repeat(200_000) }),
    await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'text/plain', ...sameOrigin }, body: 'hi' }),
  ];
  assert.deepEqual(
    responses.map((res) => res.status),
    [400, 401, 404, 405, 413, 415],
  );
  for (const res of responses) assertSecurityHeaders(res);
});

test('a 429 carries them', async (t) => {
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '1/1m' });
  await fetch(`${url}/api/v1/users/me`);
  const res = await fetch(`${url}/api/v1/users/me`);
  assert.equal(res.status, 429);
  assertSecurityHeaders(res);
});

test('a 500 carries them', async (t) => {
  const { url } = await startApp(t, {}, { database: failingDatabase(await testDatabase(t), 'database on fire') });
  const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: PASSWORD });
  assert.equal(res.status, 500);
  assertSecurityHeaders(res);
});

test('a 503 from /readyz while shutting down carries them', async (t) => {
  const readiness = new Readiness();
  readiness.startShutdown();
  const { url } = await startApp(t, {}, { readiness });
  const res = await fetch(`${url}/readyz`);
  assert.equal(res.status, 503);
  assertSecurityHeaders(res);
});

test('CORS preflights, allowed or refused, carry them', async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: 'https://app.example.com' });
  for (const origin of ['https://app.example.com', 'https://evil.test']) {
    const res = await fetch(`${url}/api/v1/users`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    assertSecurityHeaders(res);
  }
});

test("requests Node cannot parse never reach the app: Node's bare 400 or 431, no body, nothing else", async (t) => {
  const { url } = await startApp(t);
  const malformed = await rawExchange(url, 'GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n');
  assert.deepEqual([malformed.received, malformed.closed], ['HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n', true]);
  const oversized = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;
  const tooLarge = await rawExchange(url, oversized);
  assert.deepEqual([tooLarge.received, tooLarge.closed], ['HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n', true]);
});
