import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPasswordHasher } from '../src/auth/passwords.ts';
import { captureLogs, PASSWORD, postJson, sameOrigin, signUp, startApp } from './helpers.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A login from a given client address (the tests run with TRUST_PROXY=1: one proxy appends it). */
const loginFrom = (url: string, address: string, email: string, password: string) =>
  postJson(`${url}/api/v1/auth/login`, { email, password }, { 'x-forwarded-for': address });

test('the global limit counts an IPv4 client by its address and an IPv6 client by its /56 block', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_GLOBAL: '1/1m' });
  const from = (forwardedFor: string) => fetch(`${url}/api/v1/users/me`, { headers: { 'x-forwarded-for': forwardedFor } });
  assert.equal((await from('203.0.113.9')).status, 401);
  assert.equal((await from('203.0.113.10')).status, 401, 'another IPv4 address, another count');
  assert.equal((await from('2001:db8:0:ff::1')).status, 401);
  assert.equal((await from('2001:db8:0:1::2')).status, 429, 'the same /56');
  assert.equal((await from('2001:db8:0:100::1')).status, 401, 'the next /56');
});

test('the global limit answers a 429 problem with Retry-After and draft-8 RateLimit headers', async (t) => {
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '2/1m' });
  const first = await fetch(`${url}/api/v1/users/me`);
  assert.equal(first.status, 401);
  assert.match(first.headers.get('ratelimit') ?? '', /^"global"; r=1; t=\d+$/);
  assert.match(first.headers.get('ratelimit-policy') ?? '', /^"global"; q=2; w=60; pk=:[A-Za-z0-9+/=]+:$/);
  assert.equal(first.headers.get('x-ratelimit-limit'), null, 'no legacy headers');

  await fetch(`${url}/api/v1/users/me`);
  const limited = await fetch(`${url}/api/v1/users/me`);
  assert.equal(limited.status, 429);
  assert.match(limited.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${String(retryAfter)}`);
  const problem = (await limited.json()) as Record<string, unknown>;
  assert.equal(problem.status, 429);
  assert.equal(problem.title, 'Too Many Requests');
  assert.equal(problem.requestId, limited.headers.get('x-request-id'));
});

test('/healthz and /readyz are exempt from every limit', async (t) => {
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '1/1m' });
  for (let i = 0; i < 5; i += 1) {
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
  }
  assert.equal((await fetch(`${url}/api/v1/users/me`)).status, 401);
  assert.equal((await fetch(`${url}/api/v1/users/me`)).status, 429);
});

test("a stranger's failed logins never lock the owner out from another address", async (t) => {
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '3/1m' });
  await signUp(server, 'bob@example.com');
  // The stranger uses up the account's attempts from their address...
  for (let i = 0; i < 3; i += 1) assert.equal((await loginFrom(server.url, '203.0.113.66', 'bob@example.com', 'guess number one')).status, 401);
  const blocked = await loginFrom(server.url, '203.0.113.66', 'Bob@Example.com', 'guess number four');
  assert.equal(blocked.status, 429, 'the same account from the same address, however the email is written');
  assert.match(blocked.headers.get('ratelimit-policy') ?? '', /"login"; q=3/);
  // ...and Bob, from his own address, signs in at once.
  assert.equal((await loginFrom(server.url, '198.51.100.7', 'bob@example.com', PASSWORD)).status, 200);
});

test('failed logins per account across addresses meet a ceiling ten times higher, which slows a botnet', async (t) => {
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '1/1m' });
  await signUp(server, 'carol@example.com');
  for (let i = 1; i <= 10; i += 1) {
    assert.equal((await loginFrom(server.url, `203.0.113.${String(i)}`, 'carol@example.com', 'wrong password')).status, 401, `address ${String(i)}`);
  }
  const eleventh = await loginFrom(server.url, '203.0.113.11', 'carol@example.com', 'wrong password');
  assert.equal(eleventh.status, 429);
  assert.ok(Number(eleventh.headers.get('retry-after')) > 0);
  // The ceiling counts everyone's failures: its headers would tell anyone how often the account was tried.
  assert.doesNotMatch(`${eleventh.headers.get('ratelimit') ?? ''} ${eleventh.headers.get('ratelimit-policy') ?? ''}`, /login-account/);
  // Another account is unaffected.
  assert.equal((await loginFrom(server.url, '203.0.113.12', 'someone.else@example.com', 'wrong password')).status, 401);
});

test('failed logins per address across accounts meet a ceiling four times higher, which slows credential stuffing', async (t) => {
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '1/1m' });
  for (let i = 1; i <= 4; i += 1) {
    assert.equal((await loginFrom(server.url, '203.0.113.9', `victim${String(i)}@example.com`, 'password123456')).status, 401);
  }
  const fifth = await loginFrom(server.url, '203.0.113.9', 'victim5@example.com', 'password123456');
  assert.equal(fifth.status, 429);
  assert.ok(Number(fifth.headers.get('retry-after')) > 0);
  assert.doesNotMatch(`${fifth.headers.get('ratelimit') ?? ''} ${fifth.headers.get('ratelimit-policy') ?? ''}`, /login-address/);
});

test('successful logins do not use up any login budget', async (t) => {
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '1/1m' });
  await signUp(server, 'dave@example.com');
  for (let i = 0; i < 5; i += 1) assert.equal((await loginFrom(server.url, '198.51.100.1', 'dave@example.com', PASSWORD)).status, 200);
  assert.equal((await loginFrom(server.url, '198.51.100.1', 'dave@example.com', 'wrong password')).status, 401, 'the budget is still whole');
});

test('requests refused before they are login attempts cost nothing, so a cross-site page cannot spend the budget', async (t) => {
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '1/1m' });
  await signUp(server, 'erin@example.com');
  const login = `${server.url}/api/v1/auth/login`;
  const address = { 'x-forwarded-for': '198.51.100.2' };
  // What `fetch(login, { mode: 'no-cors', method: 'POST', body: '...' })` on a hostile page sends: a
  // text/plain body (no preflight needed), from another origin.
  const crossSite = { ...address, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' };
  const refused = [
    await fetch(login, { method: 'POST', headers: crossSite, body: '{"email":"erin@example.com","password":"x"}' }),
    await fetch(login, { method: 'POST', headers: { ...address, ...sameOrigin, 'content-type': 'application/json' }, body: '{"email":' }),
    await postJson(login, { email: 'erin@example.com', password: 'x'.repeat(200_000) }, address),
    await postJson(login, { email: 'not an email', password: 'x' }, address),
  ];
  for (const res of refused) assert.ok([400, 403, 413, 415].includes(res.status), String(res.status));
  // One real attempt is still there to be had, and the owner still signs in from elsewhere.
  assert.equal((await loginFrom(server.url, '198.51.100.2', 'erin@example.com', 'wrong password')).status, 401);
  assert.equal((await loginFrom(server.url, '198.51.100.2', 'erin@example.com', PASSWORD)).status, 429);
  assert.equal((await loginFrom(server.url, '198.51.100.3', 'erin@example.com', PASSWORD)).status, 200);
});

test('sign-ups are limited per address by the auth tier, successful ones included', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '2/1m' });
  const signUpFrom = (email: string) => postJson(`${url}/api/v1/users`, { email, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.9' });
  assert.equal((await signUpFrom('s1@example.com')).status, 202);
  assert.equal((await signUpFrom('s1@example.com')).status, 202);
  const third = await signUpFrom('s3@example.com');
  assert.equal(third.status, 429);
  assert.match(third.headers.get('ratelimit-policy') ?? '', /"signup"; q=2/);
});

test('failed logins and limit hits are security events that name the account by a keyed hash, never the email', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '1/1m' }, { logger });
  await loginFrom(url, '198.51.100.4', 'Frank@Example.com', 'wrong password');
  await loginFrom(url, '198.51.100.4', 'frank@example.com', 'wrong password');
  await settle();
  const events = lines().filter((line) => line.event !== undefined);
  assert.deepEqual(
    events.map((line) => line.event),
    ['login_failed', 'login_limited'],
  );
  const [failed, limited] = events as [Record<string, unknown>, Record<string, unknown>];
  assert.match(String(failed.account), /^[A-Za-z0-9_-]{22}$/);
  assert.equal(limited.account, failed.account, 'the same account, however the email was written');
  assert.equal(failed.address, '198.51.100.4');
  assert.ok(!JSON.stringify(lines()).toLowerCase().includes('frank'), 'the email appears nowhere in the log');
});

test('a burst of sign-ups from one address cannot hold the hashing cap: past the auth limit they are refused before hashing', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '3/1m' }, { passwords: createPasswordHasher(1) });
  const burst = await Promise.all(
    Array.from({ length: 10 }, (_, i) => postJson(`${url}/api/v1/users`, { email: `b${String(i)}@example.com`, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.20' })),
  );
  const statuses = burst.map((res) => res.status);
  assert.equal(statuses.filter((status) => status === 429).length, 7, statuses.join(','));
  // Turned away while hashing was busy counts too: retrying does not get round the limit.
  const again = await postJson(`${url}/api/v1/users`, { email: 'again@example.com', password: PASSWORD }, { 'x-forwarded-for': '198.51.100.20' });
  assert.equal(again.status, 429);
});
