import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postJson, startApp } from './helpers.ts';

test('the global limit answers a 429 problem with Retry-After and draft-8 RateLimit headers', async (t) => {
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '2/1m' });
  const first = await fetch(`${url}/api/v1/users`);
  assert.equal(first.status, 200);
  assert.match(first.headers.get('ratelimit') ?? '', /^"global"; r=1; t=\d+$/);
  assert.match(first.headers.get('ratelimit-policy') ?? '', /^"global"; q=2; w=60; pk=:[A-Za-z0-9+/=]+:$/);
  assert.equal(first.headers.get('x-ratelimit-limit'), null, 'no legacy headers');

  await fetch(`${url}/api/v1/users`);
  const limited = await fetch(`${url}/api/v1/users`);
  assert.equal(limited.status, 429);
  assert.match(limited.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
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
  assert.equal((await fetch(`${url}/api/v1/users`)).status, 200);
  assert.equal((await fetch(`${url}/api/v1/users`)).status, 429);
});

test('the auth limit applies to /api/v1/auth on top of the global one', async (t) => {
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '100/1m', RATE_LIMIT_AUTH: '2/1m' });
  const statuses = [];
  for (let i = 0; i < 3; i += 1) statuses.push((await postJson(`${url}/api/v1/auth/login`, {})).status);
  assert.deepEqual(statuses, [400, 400, 429]);
  const res = await postJson(`${url}/api/v1/auth/login`, {});
  assert.match(res.headers.get('ratelimit-policy') ?? '', /"global"; q=100; w=60.*, "auth"; q=2; w=60/);
});

test('the auth limit does not apply outside /api/v1/auth', async (t) => {
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '100/1m', RATE_LIMIT_AUTH: '1/1m' });
  for (let i = 0; i < 3; i += 1) assert.equal((await fetch(`${url}/api/v1/users`)).status, 200);
});

test('failed logins are also counted per account, so spreading them over many addresses does not help', async (t) => {
  // One proxy hop, so each request can come from its own client address.
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_GLOBAL: '100/1m', RATE_LIMIT_AUTH: '2/1m' });
  const login = (email: string, address: string) =>
    postJson(`${url}/api/v1/auth/login`, { email, password: 'wrong password' }, { 'x-forwarded-for': address });

  assert.equal((await login('victim@example.com', '203.0.113.1')).status, 401);
  // The same account, however the email is written.
  assert.equal((await login(' Victim@Example.COM', '203.0.113.2')).status, 401);
  const third = await login('victim@example.com', '203.0.113.3');
  assert.equal(third.status, 429, 'a third address gets no fresh guesses at the same account');
  assert.match(third.headers.get('ratelimit-policy') ?? '', /"account"; q=2/);

  // Another account is unaffected.
  assert.equal((await login('someone.else@example.com', '203.0.113.4')).status, 401);
});

test('successful logins do not count against the account', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_GLOBAL: '100/1m', RATE_LIMIT_AUTH: '2/1m' });
  const credentials = { email: 'ok@example.com', password: 'correct horse battery' };
  assert.equal((await postJson(`${url}/api/v1/users`, credentials)).status, 201);
  for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
    const res = await postJson(`${url}/api/v1/auth/login`, credentials, { 'x-forwarded-for': address });
    assert.equal(res.status, 200, `login from ${address}`);
  }
});
