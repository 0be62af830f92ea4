import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionStore } from '../src/auth/sessions.ts';
import { newUser, startApp, testDatabase } from './helpers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A clock the test moves on by hand: the sessions' timeouts pass without being waited out. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = Date.now();
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

test('the database holds no session token in clear: only its SHA-256', async (t) => {
  const server = await startApp(t);
  const ada = await newUser(server, 'ada@example.com');
  const token = Object.values(ada.headers).join(' ').match(/[A-Za-z0-9_-]{43}/)?.[0] ?? '';
  assert.equal(token.length, 43, '256 random bits, base64url');
  const rows = await server.database.db.selectFrom('sessions').selectAll().execute();
  assert.equal(rows.length, 1);
  assert.ok(!JSON.stringify(rows).includes(token), 'the token is nowhere in the sessions table');
  const users = await server.database.db.selectFrom('users').selectAll().execute();
  assert.ok(!JSON.stringify(users).includes(token));
});

test('a session unused for SESSION_IDLE_TIMEOUT ends; using it keeps it alive', async (t) => {
  const clock = manualClock();
  const server = await startApp(t, { SESSION_IDLE_TIMEOUT: '30m', SESSION_MAX_AGE: '12h' }, { now: clock.now });
  const ada = await newUser(server, 'ada@example.com');
  const me = () => fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers });
  // Used every 20 minutes, for longer than the idle timeout: still valid.
  for (let i = 0; i < 4; i += 1) {
    clock.advance(20 * MINUTE);
    assert.equal((await me()).status, 200, `use ${String(i + 1)}`);
  }
  clock.advance(30 * MINUTE - 1);
  assert.equal((await me()).status, 200, 'a moment before the idle timeout');
  clock.advance(30 * MINUTE);
  assert.equal((await me()).status, 401, 'idle for as long as the timeout');
});

test('a session ends SESSION_MAX_AGE after sign-in, however often it is used', async (t) => {
  const clock = manualClock();
  const server = await startApp(t, { SESSION_IDLE_TIMEOUT: '30m', SESSION_MAX_AGE: '2h' }, { now: clock.now });
  const ada = await newUser(server, 'ada@example.com');
  const me = () => fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers });
  for (let used = 20 * MINUTE; used < 2 * HOUR; used += 20 * MINUTE) {
    clock.advance(20 * MINUTE);
    assert.equal((await me()).status, 200, `${String(used / MINUTE)} minutes after sign-in`);
  }
  clock.advance(20 * MINUTE - 1);
  assert.equal((await me()).status, 200, 'a moment before SESSION_MAX_AGE');
  clock.advance(1);
  assert.equal((await me()).status, 401, 'at SESSION_MAX_AGE');
});

test('expired sessions are pruned from the table', async (t) => {
  const database = await testDatabase(t);
  let now = 1_000_000;
  const sessions = createSessionStore(database.db, { idleMs: 1_000, maxAgeMs: 10_000, maxPerUser: 10 }, () => now);
  await database.db
    .insertInto('users')
    .values({ id: '00000000-0000-4000-8000-000000000001', email: 'p@example.com', name: null, password_hash: 'x', role: 'user', created_at: now })
    .execute();
  const kept = await sessions.create('00000000-0000-4000-8000-000000000001');
  await sessions.create('00000000-0000-4000-8000-000000000001');
  now += 900;
  assert.ok(await sessions.authenticate(kept.token), 'used before its idle end');
  now += 600;
  assert.equal(await sessions.prune(), 1, 'the idle one');
  assert.ok(await sessions.authenticate(kept.token));
  now += 20_000;
  assert.equal(await sessions.authenticate(kept.token), undefined);
  assert.equal(await sessions.prune(), 1, 'past its lifetime');
});

test('a token that is not one of ours is anonymous, whatever its shape', async (t) => {
  const server = await startApp(t);
  await newUser(server, 'ada@example.com');
  const database = server.database;
  const sessions = createSessionStore(database.db, { idleMs: 60_000, maxAgeMs: 60_000, maxPerUser: 10 });
  for (const token of ['', 'x', 'A'.repeat(43), "' OR '1'='1", 'A'.repeat(10_000)]) {
    assert.equal(await sessions.authenticate(token), undefined, token.slice(0, 20));
  }
});
