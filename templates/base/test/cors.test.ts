import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, defaults, loadConfig } from '../src/config.ts';
import { createApp } from '../src/app.ts';
import { transport } from '../src/auth/transport.ts';
import { routeTable } from '../src/http/route-table.ts';
import { startApp, testConfig } from './helpers.ts';

const ALLOWED = 'https://app.example.com';

function accessControlHeaders(res: Response): string[] {
  return [...res.headers.keys()].filter((name) => name.startsWith('access-control-allow-'));
}

test('an allowed origin is echoed exactly, with Vary: Origin and the exposed headers', async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: `${ALLOWED},http://localhost:5173` });
  const res = await fetch(`${url}/api/v1/users/me`, { headers: { origin: ALLOWED } });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
  assert.match(res.headers.get('vary') ?? '', /\bOrigin\b/);
  assert.deepEqual(
    (res.headers.get('access-control-expose-headers') ?? '').split(','),
    ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id'],
  );
});

test('a preflight from an allowed origin lists methods and headers and has a max-age', async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const res = await fetch(`${url}/api/v1/users`, {
    method: 'OPTIONS',
    headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /\bContent-Type\b/);
  assert.equal(res.headers.get('access-control-max-age'), '600');
});

test('preflights advertise exactly the methods the routes serve, and the session header', async (t) => {
  const server = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const res = await fetch(`${server.url}/api/v1/users/me/password`, {
    method: 'OPTIONS',
    headers: { origin: ALLOWED, 'access-control-request-method': 'PATCH' },
  });
  // The methods some route serves, and no other: a method nobody serves (PUT, until a route does) is
  // not offered to other sites' scripts.
  const served = new Set(routeTable(createApp(testConfig(), { database: server.database })).map((route) => route.method));
  const advertised = (res.headers.get('access-control-allow-methods') ?? '').split(',');
  assert.deepEqual(advertised, [...served].sort());
  for (const method of ['GET', 'POST', 'PATCH']) assert.ok(advertised.includes(method), method);
  for (const method of ['PUT', 'DELETE', 'TRACE', 'CONNECT']) assert.equal(advertised.includes(method), served.has(method), method);
  const headers = (res.headers.get('access-control-allow-headers') ?? '').split(',');
  assert.equal(headers.includes('Authorization'), transport.requestHeaders.includes('Authorization'));
});

test('disallowed origins get no Access-Control-Allow-* header at all', async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const refused = [
    'null',
    'https://app.example.com.evil.test', // look-alike host
    'https://evilapp.example.com',
    'https://example.com',
    'http://app.example.com', // other scheme
    'https://app.example.com:8443', // other port
    'https://APP.example.com.', // trailing dot
    'https://evil.test',
  ];
  for (const origin of refused) {
    const simple = await fetch(`${url}/api/v1/users`, { headers: { origin } });
    assert.deepEqual(accessControlHeaders(simple), [], `GET from ${origin}`);
    assert.match(simple.headers.get('vary') ?? '', /\bOrigin\b/, `Vary on GET from ${origin}`);

    const preflight = await fetch(`${url}/api/v1/users`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 403, `preflight from ${origin}`);
    assert.deepEqual(accessControlHeaders(preflight), [], `preflight from ${origin}`);
  }
});

test('credentials are allowed only when the project was generated with them', async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const res = await fetch(`${url}/api/v1/users`, { headers: { origin: ALLOWED } });
  // Never `false` or any other value: the header is either `true` or absent.
  const header = res.headers.get('access-control-allow-credentials');
  assert.ok(header === null || header === 'true');
  assert.equal(header === 'true', defaults.credentials);
});

test('production uses the production allowlist, development the development one', async (t) => {
  const production = await startApp(t, { NODE_ENV: 'production' });
  const development = await startApp(t, { NODE_ENV: 'development' });
  const productionOrigins: readonly string[] = defaults.productionOrigins;
  const developmentOrigins: readonly string[] = defaults.developmentOrigins;
  const allowedOrigin = async (base: string, origin: string) =>
    (await fetch(`${base}/healthz`, { headers: { origin } })).headers.get('access-control-allow-origin');

  for (const origin of productionOrigins) assert.equal(await allowedOrigin(production.url, origin), origin);
  for (const origin of developmentOrigins) {
    assert.equal(await allowedOrigin(development.url, origin), origin);
    if (!productionOrigins.includes(origin)) assert.equal(await allowedOrigin(production.url, origin), null);
  }
});

test("CORS_ORIGINS='*' is refused", () => {
  assert.throws(
    () => loadConfig({ CORS_ORIGINS: '*' }),
    (error: unknown) => error instanceof ConfigError && /^Invalid environment variable CORS_ORIGINS: .*'\*' is refused/.test(error.message),
  );
});
