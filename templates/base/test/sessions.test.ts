import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSessionStore } from '../src/auth/sessions.ts';
import { newUser, startApp, testDatabase } from './helpers.ts';

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
  const server = await startApp(t, { SESSION_IDLE_TIMEOUT: '1s', SESSION_MAX_AGE: '1h' });
  const ada = await newUser(server, 'ada@example.com');
  const me = () => fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers });
  // Used every 400 ms, for longer than the idle timeout: still valid.
  for (let i = 0; i < 4; i += 1) {
    await sleep(400);
    assert.equal((await me()).status, 200, `use ${String(i + 1)}`);
  }
  await sleep(1_200);
  assert.equal((await me()).status, 401, 'idle for longer than the timeout');
});

test('a session ends SESSION_MAX_AGE after sign-in, however often it is used', async (t) => {
  const server = await startApp(t, { SESSION_IDLE_TIMEOUT: '1s', SESSION_MAX_AGE: '2s' });
  const ada = await newUser(server, 'ada@example.com');
  const me = () => fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers });
  const started = Date.now();
  while (Date.now() - started < 1_700) {
    assert.equal((await me()).status, 200);
    await sleep(300);
  }
  await sleep(500);
  assert.equal((await me()).status, 401);
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
