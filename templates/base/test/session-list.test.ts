import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newUser, send, signIn, signUp, startApp } from './helpers.ts';

interface Listed {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

test('GET /api/v1/users/me/sessions lists the caller\'s sessions, the current one marked; the ids are neither tokens nor stored hashes', async (t) => {
  const server = await startApp(t);
  await signUp(server, 'ada@example.com');
  const first = await signIn(server.url, 'ada@example.com');
  const second = await signIn(server.url, 'ada@example.com');
  await newUser(server, 'bob@example.com');

  const res = await send('GET', `${server.url}/api/v1/users/me/sessions`, second.headers);
  assert.equal(res.status, 200);
  const { items } = (await res.json()) as { items: Listed[] };
  assert.equal(items.length, 2, 'only the caller\'s');
  assert.deepEqual(items.map((item) => item.current).toSorted(), [false, true]);
  for (const item of items) {
    assert.deepEqual(Object.keys(item).sort(), ['createdAt', 'current', 'id', 'lastUsedAt']);
    assert.ok(Date.parse(item.createdAt) <= Date.parse(item.lastUsedAt));
  }
  const stored = await server.database.db.selectFrom('sessions').select('id').execute();
  const credentials = [...stored.map((row) => row.id), ...[first, second].map((session) => JSON.stringify(session.headers))];
  for (const item of items) assert.ok(credentials.every((credential) => !credential.includes(item.id)), 'a listed id is no credential');

  assert.equal((await send('GET', `${server.url}/api/v1/users/me/sessions`)).status, 401);
});

test('DELETE /api/v1/users/me/sessions/:id ends that session (204); another user\'s or an unknown id is a 404', async (t) => {
  const server = await startApp(t);
  await signUp(server, 'ada@example.com');
  const laptop = await signIn(server.url, 'ada@example.com');
  const phone = await signIn(server.url, 'ada@example.com');
  const bob = await newUser(server, 'bob@example.com');
  const list = async (headers: Record<string, string>) =>
    ((await (await send('GET', `${server.url}/api/v1/users/me/sessions`, headers)).json()) as { items: Listed[] }).items;
  const phoneId = (await list(phone.headers)).find((item) => item.current)?.id ?? '';
  const bobId = (await list(bob.headers))[0]?.id ?? '';
  const remove = (id: string, headers: Record<string, string>) => send('DELETE', `${server.url}/api/v1/users/me/sessions/${id}`, headers);

  assert.equal((await remove(bobId, laptop.headers)).status, 404, 'another user\'s session');
  assert.equal((await send('GET', `${server.url}/api/v1/users/me`, bob.headers)).status, 200, 'and it still works');
  assert.equal((await remove('A'.repeat(22), laptop.headers)).status, 404, 'an unknown id');
  assert.equal((await remove('not an id', laptop.headers)).status, 400);
  assert.equal((await remove(phoneId, {})).status, 401);

  assert.equal((await remove(phoneId, laptop.headers)).status, 204);
  assert.equal((await send('GET', `${server.url}/api/v1/users/me`, phone.headers)).status, 401);
  assert.equal((await send('GET', `${server.url}/api/v1/users/me`, laptop.headers)).status, 200);
  assert.equal((await remove(phoneId, laptop.headers)).status, 404, 'already ended');
});

test('past SESSION_MAX_PER_USER sessions, a new sign-in ends the oldest', async (t) => {
  const server = await startApp(t, { SESSION_MAX_PER_USER: '3' });
  await signUp(server, 'ada@example.com');
  const sessions = [];
  for (let i = 0; i < 5; i += 1) {
    sessions.push(await signIn(server.url, 'ada@example.com'));
    // Distinct creation times: which session is the oldest must be well defined.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const statuses = [];
  for (const session of sessions) statuses.push((await send('GET', `${server.url}/api/v1/users/me`, session.headers)).status);
  assert.deepEqual(statuses, [401, 401, 200, 200, 200]);
  const rows = await server.database.db.selectFrom('sessions').select('id').execute();
  assert.equal(rows.length, 3);
});
