import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureLogs, deviceProofOf, type DeviceProof, newUser, PASSWORD, postJson, signIn, signUp, startApp } from './helpers.ts';
import { type MailServer, startMailServer, tokenIn } from './mail-server.ts';

const NEW_PASSWORD = 'a brand new passphrase';

/**
 * A stranger against one account: guesses from many addresses fill the account-wide ceiling; the
 * owner's known device, and the owner's signed-in session, must still get through.
 * The tests run with TRUST_PROXY=1: one proxy appends the client's address to X-Forwarded-For.
 */

const none: DeviceProof = { headers: {}, body: {} };

/** A login from `address`, showing `device` (none unless given). */
const loginFrom = (url: string, address: string, email: string, password: string, device = none) =>
  postJson(`${url}/api/v1/auth/login`, { email, password, ...device.body }, { 'x-forwarded-for': address, ...device.headers });

/** RATE_LIMIT_AUTH 1/1m: one failure per account and address; the account-wide ceiling is ten. */
const AUTH = { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '1/1m' };

// Ten clients, as the limits see them: ten IPv4 addresses, or ten /56 blocks inside one IPv6 /48.
const strangers = [
  { name: 'ten IPv4 addresses', addresses: Array.from({ length: 10 }, (_, i) => `203.0.113.${String(i + 1)}`) },
  { name: 'one IPv6 /48', addresses: Array.from({ length: 10 }, (_, i) => `2001:db8:77:${(i * 256).toString(16)}::1`) },
];

for (const { name, addresses } of strangers) {
  test(`a stranger from ${name} fills the account's ceiling: the owner's known device still signs in, a new client waits`, async (t) => {
    const server = await startApp(t, AUTH);
    await signUp(server, 'owner@example.com');
    const known = await deviceProofOf(await loginFrom(server.url, '198.51.100.1', 'owner@example.com', PASSWORD));

    for (const address of addresses) assert.equal((await loginFrom(server.url, address, 'owner@example.com', 'a wrong guess')).status, 401, address);
    const capped = await loginFrom(server.url, '192.0.2.99', 'owner@example.com', 'another guess');
    assert.equal(capped.status, 429, "the stranger's guesses stay capped");

    // The owner, from a client that never signed in to the account: the ceiling holds for everyone.
    assert.equal((await loginFrom(server.url, '198.51.100.2', 'owner@example.com', PASSWORD)).status, 429);
    // The owner's own device, from any address, even one the stranger used.
    assert.equal((await loginFrom(server.url, '198.51.100.1', 'owner@example.com', PASSWORD, known)).status, 200);
    assert.equal((await loginFrom(server.url, addresses[0] ?? '', 'owner@example.com', PASSWORD, known)).status, 200);
  });
}

// The two ways a password changes: signed in, knowing the current one; or by the link of a reset mail.
const passwordChanges = [
  {
    name: 'a password change',
    change: async (url: string) => {
      const { headers } = await signIn(url, 'owner@example.com');
      assert.equal((await postJson(`${url}/api/v1/users/me/password`, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, headers, 'PATCH')).status, 204);
    },
  },
  {
    name: 'a password reset',
    change: async (url: string, mail: MailServer) => {
      assert.equal((await postJson(`${url}/api/v1/auth/password-reset`, { email: 'owner@example.com' })).status, 202);
      const token = tokenIn(await mail.next('owner@example.com'), 'reset-password');
      assert.equal((await postJson(`${url}/api/v1/auth/password-reset/confirm`, { token, newPassword: NEW_PASSWORD })).status, 204);
    },
  },
];

for (const { name, change } of passwordChanges) {
  test(`after ${name}, device proofs given before it no longer count; the next login gives one that does`, async (t) => {
    const mail = await startMailServer(t);
    const server = await startApp(t, { ...AUTH, ...mail.env });
    await signUp(server, 'owner@example.com');
    const before = await deviceProofOf(await loginFrom(server.url, '198.51.100.1', 'owner@example.com', PASSWORD));
    await change(server.url, mail);
    const after = await deviceProofOf(await loginFrom(server.url, '198.51.100.2', 'owner@example.com', NEW_PASSWORD));

    for (let i = 1; i <= 10; i += 1) assert.equal((await loginFrom(server.url, `203.0.113.${String(i)}`, 'owner@example.com', 'a wrong guess')).status, 401);
    assert.equal((await loginFrom(server.url, '198.51.100.1', 'owner@example.com', NEW_PASSWORD, before)).status, 429, 'the old proof is counted like a stranger');
    assert.equal((await loginFrom(server.url, '198.51.100.1', 'owner@example.com', NEW_PASSWORD, after)).status, 200, 'the new one is a known device');
  });
}

test("a device proof counts only for the account it was given for, and only as it was given", async (t) => {
  const server = await startApp(t, AUTH);
  await signUp(server, 'owner@example.com');
  await signUp(server, 'stranger@example.com');
  // The stranger's own proof, from a login to their own account, and a copy of it with one character of the mac changed.
  const theirs = await deviceProofOf(await loginFrom(server.url, '203.0.113.1', 'stranger@example.com', PASSWORD));
  const tamper = (text: string) => text.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
  const forged: DeviceProof = {
    headers: Object.fromEntries(Object.entries(theirs.headers).map(([key, value]) => [key, tamper(value)])),
    body: Object.fromEntries(Object.entries(theirs.body).map(([key, value]) => [key, tamper(value)])),
  };

  for (let i = 1; i <= 10; i += 1) assert.equal((await loginFrom(server.url, `203.0.113.${String(i)}`, 'owner@example.com', 'a wrong guess', theirs)).status, 401);
  assert.equal((await loginFrom(server.url, '203.0.113.11', 'owner@example.com', 'a wrong guess', theirs)).status, 429, 'counted as a stranger');
  assert.equal((await loginFrom(server.url, '203.0.113.12', 'owner@example.com', PASSWORD, forged)).status, 429, 'a forged proof is no proof');
  // Their proof still works for their own account.
  assert.equal((await loginFrom(server.url, '203.0.113.1', 'stranger@example.com', PASSWORD, theirs)).status, 200);
});

test('a device proof that fails too often is locked out itself, and no other device with it', async (t) => {
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '2/1m' });
  await signUp(server, 'owner@example.com');
  const laptop = await deviceProofOf(await loginFrom(server.url, '198.51.100.1', 'owner@example.com', PASSWORD));
  const phone = await deviceProofOf(await loginFrom(server.url, '198.51.100.2', 'owner@example.com', PASSWORD));

  // A stolen laptop proof, from addresses of the thief's choosing: its own budget, then nothing.
  assert.equal((await loginFrom(server.url, '203.0.113.1', 'owner@example.com', 'a wrong guess', laptop)).status, 401);
  assert.equal((await loginFrom(server.url, '203.0.113.2', 'owner@example.com', 'a wrong guess', laptop)).status, 401);
  const locked = await loginFrom(server.url, '203.0.113.3', 'owner@example.com', PASSWORD, laptop);
  assert.equal(locked.status, 429, 'even with the right password, until the window ends');
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  // The phone, and a new client, are untouched by the laptop's failures.
  assert.equal((await loginFrom(server.url, '198.51.100.2', 'owner@example.com', PASSWORD, phone)).status, 200);
  assert.equal((await loginFrom(server.url, '198.51.100.3', 'owner@example.com', PASSWORD)).status, 200);
});

test('every login gives a fresh device proof, kept out of the log', async (t) => {
  const { logger, lines } = captureLogs();
  const server = await startApp(t, AUTH, { logger });
  await signUp(server, 'owner@example.com');
  const first = await loginFrom(server.url, '198.51.100.1', 'owner@example.com', PASSWORD);
  const proof = await deviceProofOf(first);
  const second = await deviceProofOf(await loginFrom(server.url, '198.51.100.1', 'owner@example.com', PASSWORD, proof));
  assert.notDeepEqual(second, proof);
  await loginFrom(server.url, '198.51.100.1', 'owner@example.com', 'a wrong guess', second);
  // The proof as sent (bearer: the deviceToken; cookie: the cookie's value), and its mac alone.
  const texts = [proof, second].map((p) => p.body.deviceToken ?? p.headers.cookie?.replace('__Host-device=', '') ?? '');
  const log = JSON.stringify(lines());
  for (const text of texts) {
    assert.match(text, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    assert.ok(!log.includes(text.split('.')[1] ?? text), 'no proof in the log');
  }
  const cookie = first.headers.getSetCookie().find((line) => line.startsWith('__Host-device='));
  if (cookie !== undefined) {
    // Cookie sessions: the proof is a cookie scripts cannot read, sent only to this site, over HTTPS.
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Domain=/i);
    assert.ok(!('deviceToken' in ((await first.json()) as object)), 'nothing in the body');
  } else {
    assert.deepEqual(first.headers.getSetCookie(), [], 'bearer sessions: the proof is in the body alone');
  }
});

test("a signed-in owner changes their password while strangers hold the login ceilings full", async (t) => {
  const server = await startApp(t, AUTH);
  const owner = await newUser(server, 'owner@example.com');
  // The ceilings a stranger can fill: the account's (ten addresses), and the owner's own address's.
  for (let i = 1; i <= 10; i += 1) await loginFrom(server.url, `203.0.113.${String(i)}`, 'owner@example.com', 'a wrong guess');
  for (let i = 1; i <= 4; i += 1) await loginFrom(server.url, '127.0.0.1', `someone${String(i)}@example.com`, 'a wrong guess');
  assert.equal((await loginFrom(server.url, '127.0.0.1', 'owner@example.com', PASSWORD)).status, 429);

  const change = (currentPassword: string, headers = owner.headers) =>
    postJson(`${server.url}/api/v1/users/me/password`, { currentPassword, newPassword: 'a brand new passphrase' }, headers, 'PATCH');
  assert.equal((await change(PASSWORD)).status, 204);
});

test('wrong current passwords are counted per session: a stolen session is capped, the owner\'s own is not', async (t) => {
  const server = await startApp(t, { RATE_LIMIT_AUTH: '2/1m' });
  const stolen = await newUser(server, 'owner@example.com');
  const own = await signIn(server.url, 'owner@example.com');
  const change = (currentPassword: string, headers: Record<string, string>) =>
    postJson(`${server.url}/api/v1/users/me/password`, { currentPassword, newPassword: 'a brand new passphrase' }, headers, 'PATCH');
  assert.equal((await change('guess one', stolen.headers)).status, 403);
  assert.equal((await change('guess two', stolen.headers)).status, 403);
  assert.equal((await change(PASSWORD, stolen.headers)).status, 429, 'the guessing session is stopped');
  // A password change fails no login: the owner still signs in from this address, and changes from their own session.
  assert.equal((await postJson(`${server.url}/api/v1/auth/login`, { email: 'owner@example.com', password: PASSWORD })).status, 200);
  assert.equal((await change(PASSWORD, own.headers)).status, 204);
});

test('logins per address meet a ceiling twenty times the auth limit, the successful ones included: each costs a hash', async (t) => {
  const server = await startApp(t, AUTH);
  await signUp(server, 'busy@example.com');
  const known = await deviceProofOf(await loginFrom(server.url, '198.51.100.1', 'busy@example.com', PASSWORD));
  for (let i = 2; i <= 20; i += 1) assert.equal((await loginFrom(server.url, '198.51.100.1', 'busy@example.com', PASSWORD, known)).status, 200, `login ${String(i)}`);
  const limited = await loginFrom(server.url, '198.51.100.1', 'busy@example.com', PASSWORD, known);
  assert.equal(limited.status, 429, 'a known device too: only the address can fill this ceiling');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.doesNotMatch(limited.headers.get('ratelimit-policy') ?? '', /login-attempts/, 'a quiet ceiling');
  assert.equal((await loginFrom(server.url, '198.51.100.2', 'busy@example.com', PASSWORD, known)).status, 200, 'another address is unaffected');
});
