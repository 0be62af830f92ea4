// npm test: a process of its own, because these tests time the real hashing queue: the work of other
// files beside them in one process would hold up the requests they send together.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Busy, concurrencyLimit } from '../src/auth/concurrency-limit.ts';
import { createPasswordHasher } from '../src/auth/passwords.ts';
import { createUserStore } from '../src/users/user-store.ts';
import { deviceProofOf, PASSWORD, postJson, startApp, type TestServer } from './helpers.ts';

/** Signed up over the API with the real hashing cost; the address proved as its mail would. */
async function markVerified(server: TestServer, email: string): Promise<void> {
  const users = createUserStore(server.database.db);
  const user = await users.findByEmail(email);
  assert.ok(user, email);
  await users.markVerified(user.id);
}

/** A task that runs until `finish()` is called, and says when it started. */
function heldTask(started: string[], name: string) {
  let finish: ((value: string) => void) | undefined;
  const work = () =>
    new Promise<string>((resolve) => {
      started.push(name);
      finish = resolve;
    });
  return {
    work,
    finish: () => {
      assert.ok(finish, `${name} has not started`);
      finish(name);
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a free slot goes to a waiting sign-in before any sign-up, however long the sign-up waited', async () => {
  const limit = concurrencyLimit(1, { 'sign-in': { waiting: 4 }, 'sign-up': { waiting: 4 } });
  const started: string[] = [];
  const first = heldTask(started, 'running sign-up');
  const running = limit.run(first.work, { lane: 'sign-up' });
  const waitingSignUp = limit.run(() => Promise.resolve(started.push('waiting sign-up')), { lane: 'sign-up' });
  const waitingSignIn = limit.run(() => Promise.resolve(started.push('sign-in')), { lane: 'sign-in' });
  await settle();
  first.finish();
  await Promise.all([running, waitingSignUp, waitingSignIn]);
  assert.deepEqual(started, ['running sign-up', 'sign-in', 'waiting sign-up']);
});

test("a free slot goes to a known device's login first, then a stranger's, then a sign-up, whatever order they came in", async () => {
  const limit = concurrencyLimit(1, { 'known-device': { waiting: 4 }, 'sign-in': { waiting: 4 }, 'sign-up': { waiting: 4 } });
  const started: string[] = [];
  const first = heldTask(started, 'running');
  const running = limit.run(first.work, { lane: 'sign-in' });
  const waiting = (['sign-up', 'sign-in', 'known-device'] as const).map((lane) => limit.run(() => Promise.resolve(started.push(lane)), { lane }));
  await settle();
  first.finish();
  await Promise.all([running, ...waiting]);
  assert.deepEqual(started, ['running', 'known-device', 'sign-in', 'sign-up']);
});

test('a full sign-up lane refuses sign-ups at once and leaves the sign-in lane open', async () => {
  const limit = concurrencyLimit(1, { 'sign-in': { waiting: 2 }, 'sign-up': { waiting: 1 } });
  const held = heldTask([], 'running');
  const running = limit.run(held.work, { lane: 'sign-up' });
  const waiting = limit.run(() => Promise.resolve('waited'), { lane: 'sign-up' });
  await assert.rejects(limit.run(() => Promise.resolve('refused'), { lane: 'sign-up' }), Busy);
  const signIn = limit.run(() => Promise.resolve('signed in'), { lane: 'sign-in' });
  await settle();
  held.finish();
  assert.deepEqual(await Promise.all([running, waiting, signIn]), ['running', 'waited', 'signed in']);
});

test('a lane capped below the slots leaves the last one to the lanes above it', async () => {
  const limit = concurrencyLimit(2, { 'sign-in': { waiting: 4 }, 'sign-up': { waiting: 2, running: 1 } });
  const started: string[] = [];
  const signUp = heldTask(started, 'sign-up 1');
  const running = limit.run(signUp.work, { lane: 'sign-up' });
  const waiting = limit.run(() => Promise.resolve(started.push('sign-up 2')), { lane: 'sign-up' });
  await settle();
  assert.deepEqual(started, ['sign-up 1'], 'the second sign-up waits, though a slot is free');
  await limit.run(() => Promise.resolve(started.push('sign-in')), { lane: 'sign-in' });
  signUp.finish();
  await Promise.all([running, waiting]);
  assert.deepEqual(started, ['sign-up 1', 'sign-in', 'sign-up 2']);
});

test('one client holds at most a quarter of a lane: the others still find a place', async () => {
  const limit = concurrencyLimit(1, { 'sign-in': { waiting: 8 }, 'sign-up': { waiting: 1 } });
  const held = heldTask([], 'running');
  const running = limit.run(held.work, { lane: 'sign-in', client: 'a' });
  const fromA = [limit.run(() => Promise.resolve('a1'), { lane: 'sign-in', client: 'a' }), limit.run(() => Promise.resolve('a2'), { lane: 'sign-in', client: 'a' })];
  await assert.rejects(limit.run(() => Promise.resolve('a3'), { lane: 'sign-in', client: 'a' }), Busy, 'a third place for the same client');
  const fromB = limit.run(() => Promise.resolve('b1'), { lane: 'sign-in', client: 'b' });
  await settle();
  held.finish();
  assert.deepEqual(await Promise.all([running, ...fromA, fromB]), ['running', 'a1', 'a2', 'b1']);
});

test('logins all succeed during a flood of sign-ups from as many addresses as it takes', async (t) => {
  // The real hashing cost, two at a time (PASSWORD_HASH_CONCURRENCY=2); every sign-up within its
  // address's limits, since each comes from an address of its own.
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '5/1m' }, { passwords: createPasswordHasher(2) });
  const { url } = server;
  const owners = Array.from({ length: 12 }, (_, i) => `owner${String(i)}@example.com`);
  for (const [i, email] of owners.entries()) {
    assert.equal((await postJson(`${url}/api/v1/users`, { email, password: PASSWORD }, { 'x-forwarded-for': `198.51.100.${String(i + 1)}` })).status, 202);
    await markVerified(server, email);
  }

  const flood = Array.from({ length: 300 }, (_, i) =>
    postJson(`${url}/api/v1/users`, { email: `flood${String(i)}@example.com`, password: PASSWORD }, { 'x-forwarded-for': `10.0.${String(i >> 8)}.${String(i & 255)}` }),
  );
  const logins = owners.map((email, i) => postJson(`${url}/api/v1/auth/login`, { email, password: PASSWORD }, { 'x-forwarded-for': `198.51.100.${String(i + 1)}` }));
  const [floodAnswers, loginAnswers] = await Promise.all([Promise.all(flood), Promise.all(logins)]);

  assert.deepEqual(
    loginAnswers.map((res) => res.status),
    owners.map(() => 200),
  );
  const busy = floodAnswers.filter((res) => res.status === 503).length;
  assert.ok(busy > floodAnswers.length / 2, `most of the flood is told to come back (${String(busy)} of ${String(floodAnswers.length)})`);
});

test('one address firing logins holds a quarter of the login lane: a login from elsewhere still gets a place', async (t) => {
  // The real hashing cost, one at a time: eight places for logins, two of them for any one address.
  const server = await startApp(t, { TRUST_PROXY: '1' }, { passwords: createPasswordHasher(1) });
  const { url } = server;
  assert.equal((await postJson(`${url}/api/v1/users`, { email: 'owner@example.com', password: PASSWORD })).status, 202);
  await markVerified(server, 'owner@example.com');
  const login = (address: string) => postJson(`${url}/api/v1/auth/login`, { email: 'owner@example.com', password: PASSWORD }, { 'x-forwarded-for': address });
  const fromOne = Array.from({ length: 12 }, () => login('203.0.113.7'));
  const owner = await login('198.51.100.7');
  const statuses = (await Promise.all(fromOne)).map((res) => res.status);
  assert.equal(owner.status, 200);
  assert.ok(statuses.filter((status) => status === 503).length >= 6, statuses.join(','));
});

test("strangers' logins from hundreds of addresses fill the login lane: the owner's known device still signs in", async (t) => {
  // The real hashing cost, one at a time: eight places for strangers' logins, all soon taken.
  const server = await startApp(t, { TRUST_PROXY: '1' }, { passwords: createPasswordHasher(1) });
  const { url } = server;
  assert.equal((await postJson(`${url}/api/v1/users`, { email: 'owner@example.com', password: PASSWORD })).status, 202);
  await markVerified(server, 'owner@example.com');
  const ownerLogin = (device = { headers: {}, body: {} }) =>
    postJson(`${url}/api/v1/auth/login`, { email: 'owner@example.com', password: PASSWORD, ...device.body }, { 'x-forwarded-for': '198.51.100.7', ...device.headers });
  const device = await deviceProofOf(await ownerLogin());

  // Each from an address of its own (an IPv6 /56 each), for an account nobody has: a dummy-hash check each.
  const flood = Array.from({ length: 200 }, (_, i) =>
    postJson(`${url}/api/v1/auth/login`, { email: `nobody${String(i)}@example.com`, password: PASSWORD }, { 'x-forwarded-for': `2001:db8:0:${(i << 8).toString(16)}::1` }),
  );
  // Once the first stranger is told the lane is full, the owner's device logs in.
  await Promise.any(flood.map(async (answer) => ((await answer).status === 503 ? undefined : Promise.reject(new Error('not busy')))));
  const owner = await ownerLogin(device);
  const busy = (await Promise.all(flood)).filter((res) => res.status === 503).length;
  assert.equal(owner.status, 200, `the owner's known device waited ahead of the strangers (${String(busy)} of them were told to come back)`);
  assert.ok(busy > flood.length / 2, `the login lane was full (${String(busy)} of ${String(flood.length)} strangers got a 503)`);
  await deviceProofOf(owner);
});
