import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_COOKIE } from '../src/auth/transport.ts';
import { newUser, PASSWORD, signUp, startApp } from './helpers.ts';

const ALLOWED = 'https://app.example.com';

const login = (url: string, headers: Record<string, string>) =>
  fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD }),
  });

test('login sets a __Host- session cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain; the body has no token', async (t) => {
  const server = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const { url } = server;
  await signUp(server, 'ada@example.com');
  const res = await login(url, { origin: ALLOWED });
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`)) ?? '';
  const [pair = '', ...attributes] = cookie.split(';').map((part) => part.trim());
  const [name, token = ''] = pair.split('=');
  assert.equal(name, SESSION_COOKIE);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const names = attributes.map((attribute) => attribute.split('=')[0]?.toLowerCase());
  for (const attribute of ['httponly', 'secure', 'path', 'samesite', 'expires']) assert.ok(names.includes(attribute), attribute);
  assert.ok(attributes.includes('Path=/') && attributes.includes('SameSite=Lax'));
  assert.ok(!names.includes('domain'), 'a __Host- cookie has no Domain');
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'user']);
  assert.ok(!JSON.stringify(body).includes(token));
});

test('a sign-in from a page of another origin is refused and sets no cookie; the app, its own pages and curl sign in', async (t) => {
  const server = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const thisOrigin = new URL(server.url).origin;
  await signUp(server, 'ada@example.com');
  // Every branch of the rule is in test/cross-origin.test.ts; these are the ones CSRF relies on.
  const refused: Record<string, string>[] = [
    { origin: 'https://evil.example' },
    { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'cross-site' },
    { origin: `${ALLOWED}.evil.example` },
    { origin: 'https://sibling.example.com', 'sec-fetch-site': 'same-site' },
    { origin: 'https://sibling.example.com' },
    { origin: 'null' },
  ];
  for (const headers of refused) {
    const res = await login(server.url, headers);
    assert.equal(res.status, 403, JSON.stringify(headers));
    assert.equal(res.headers.get('set-cookie'), null);
  }
  const passing: Record<string, string>[] = [{ origin: ALLOWED }, { 'sec-fetch-site': 'same-origin' }, { origin: thisOrigin }, {}];
  for (const headers of passing) assert.equal((await login(server.url, headers)).status, 200, JSON.stringify(headers));
});

test('a signed-in browser cannot be made to sign out, change its password or anything else from another site', async (t) => {
  const server = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const ada = await newUser(server, 'ada@example.com');
  const cookie = ada.headers.cookie ?? '';
  const json = { cookie, 'content-type': 'application/json' };
  // SameSite=Lax sends the cookie from a sibling subdomain (same site, other origin), and old browsers
  // send no Sec-Fetch-Site: only the origin tells these requests from the app's.
  const pages = [
    { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    { origin: 'https://sibling.example.com', 'sec-fetch-site': 'same-site' },
    { origin: 'https://sibling.example.com' },
  ];
  for (const page of pages) {
    const attempts = [
      fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: { ...json, ...page } }),
      fetch(`${server.url}/api/v1/users/me/password`, {
        method: 'PATCH',
        headers: { ...json, ...page },
        body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'attacker chosen password' }),
      }),
    ];
    for (const res of await Promise.all(attempts)) assert.equal(res.status, 403, JSON.stringify(page));
  }
  // Reading is not a change: a GET goes through (CORS keeps the response from the other site's script).
  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: { cookie } })).status, 200);
  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers })).status, 200, 'still signed in');
});

test('logout clears the cookie and ends the session', async (t) => {
  const server = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const ada = await newUser(server, 'ada@example.com');
  const res = await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: ada.headers });
  assert.equal(res.status, 204);
  const cleared = res.headers.get('set-cookie') ?? '';
  assert.ok(cleared.startsWith(`${SESSION_COOKIE}=;`), cleared);
  assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers })).status, 401);
});
