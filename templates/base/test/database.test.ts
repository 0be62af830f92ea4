import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createUserStore } from '../src/users/user-store.ts';
import { newUser, PASSWORD, postJson, startApp, testDatabase } from './helpers.ts';

/** Strings that break SQL built by concatenation; here each must be stored or refused as plain data. */
const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  "admin'--",
  '1; DELETE FROM sessions',
  "') UNION SELECT password_hash FROM users --",
];

test('migrations run twice are a no-op', async (t) => {
  const database = await testDatabase(t);
  assert.deepEqual(await migrateToLatest(database.db), []);
  assert.deepEqual(await migrateToLatest(database.db), []);
});

test('SQL injection in every field is stored as data or refused, never executed', async (t) => {
  const server = await startApp(t);
  const admin = await newUser(server, 'admin@example.com', 'admin');
  const users = createUserStore(server.database.db);
  for (const [i, evil] of INJECTIONS.entries()) {
    // As a name: stored exactly as sent.
    const created = await postJson(`${server.url}/api/v1/users`, { email: `n${String(i)}@example.com`, password: PASSWORD, name: evil });
    assert.equal(created.status, 202, evil);
    assert.equal((await users.findByEmail(`n${String(i)}@example.com`))?.name, evil);
    // As an email or password at login, and as a password at sign-up: refused or just wrong.
    const asEmail = await postJson(`${server.url}/api/v1/auth/login`, { email: evil, password: evil });
    assert.equal(asEmail.status, 400, evil);
    const asPassword = await postJson(`${server.url}/api/v1/auth/login`, { email: 'admin@example.com', password: evil });
    assert.equal(asPassword.status, 401, evil);
    // In the path and the query string.
    assert.equal((await fetch(`${server.url}/api/v1/users/${encodeURIComponent(evil)}`, { headers: admin.headers })).status, 400, evil);
    for (const name of ['limit', 'cursor']) {
      const res = await fetch(`${server.url}/api/v1/users?${name}=${encodeURIComponent(evil)}`, { headers: admin.headers });
      assert.equal(res.status, 400, `${name}=${evil}`);
    }
  }
  // Every table and row is still there.
  const count = await server.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(count.n, INJECTIONS.length + 1);
  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: admin.headers })).status, 200, 'sessions survive too');
});

test('sign-ups racing for one email: one account, the same 202 for each, never a 500', async (t) => {
  const server = await startApp(t);
  for (let round = 0; round < 3; round += 1) {
    const email = `race${String(round)}@example.com`;
    const statuses = await Promise.all([1, 2, 3].map(async () => (await postJson(`${server.url}/api/v1/users`, { email, password: PASSWORD })).status));
    assert.deepEqual(statuses, [202, 202, 202], email);
    const rows = await server.database.db.selectFrom('users').select('id').where('email', '=', email).execute();
    assert.equal(rows.length, 1, email);
  }
});

test('what a user stores comes back unchanged: unicode, quotes, long names', async (t) => {
  const server = await startApp(t);
  const names = ['Zoë Ångström', '李小龙', '😀 emoji', 'O\'Brien "the" Great', 'x'.repeat(100)];
  for (const [i, name] of names.entries()) {
    const email = `u${String(i)}@example.com`;
    assert.equal((await postJson(`${server.url}/api/v1/users`, { email, password: PASSWORD, name })).status, 202);
    assert.equal((await createUserStore(server.database.db).findByEmail(email))?.name, name);
  }
});
