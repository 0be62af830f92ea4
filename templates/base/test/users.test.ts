import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserStore } from '../src/users/user-store.ts';
import { documentedResponse } from './documented-response.ts';
import { newUser, PASSWORD, postJson, signUp, startApp, type PublicUser } from './helpers.ts';

interface Page {
  items: PublicUser[];
  nextCursor: string | null;
}

test('POST /api/v1/users signs up: 202, the account stored normalized as a user, never the password in the answer', async (t) => {
  const server = await startApp(t);
  const res = await documentedResponse('POST', await postJson(`${server.url}/api/v1/users`, { email: ' Ada@Example.com ', password: PASSWORD, name: 'Ada' }));
  assert.equal(res.status, 202);
  const text = await res.text();
  assert.ok(!text.includes(PASSWORD) && !text.includes('$argon2') && !text.includes('$scrypt'), 'no password or hash in the response');
  assert.equal(res.headers.get('location'), null, 'no id: the answer is the same for a taken address');
  const user = await createUserStore(server.database.db).findByEmail('ada@example.com');
  assert.ok(user);
  assert.equal(user.name, 'Ada');
  assert.equal(user.role, 'user', 'sign-up never makes an admin');
  assert.equal(user.emailVerifiedAt, null, 'not verified until the link in the mail is followed');
});

test('GET /api/v1/users/me is the caller; 401 with a challenge without a session', async (t) => {
  const server = await startApp(t);
  const ada = await newUser(server, 'ada@example.com');
  const me = await documentedResponse('GET', await fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers }));
  assert.equal(me.status, 200);
  assert.deepEqual(await me.json(), ada.user);

  const anonymous = await documentedResponse('GET', await fetch(`${server.url}/api/v1/users/me`));
  assert.equal(anonymous.status, 401);
  assert.ok(anonymous.headers.get('www-authenticate'), 'RFC 9110: a 401 names a challenge');
});

test('GET /api/v1/users/:id: the user themself and admins see it; anyone else gets the 404 of a missing id', async (t) => {
  const server = await startApp(t);
  const ada = await newUser(server, 'ada@example.com');
  const bob = await newUser(server, 'bob@example.com');
  const admin = await newUser(server, 'root@example.com', 'admin');
  const adaUrl = `${server.url}/api/v1/users/${ada.user.id}`;

  assert.equal((await documentedResponse('GET', await fetch(adaUrl, { headers: ada.headers }))).status, 200);
  assert.equal((await fetch(adaUrl, { headers: admin.headers })).status, 200);

  const fromBob = await documentedResponse('GET', await fetch(adaUrl, { headers: bob.headers }));
  const missing = await fetch(`${server.url}/api/v1/users/00000000-0000-4000-8000-000000000000`, { headers: bob.headers });
  assert.equal(fromBob.status, 404, 'user A reading user B');
  assert.equal(missing.status, 404);
  const strip = (problem: Record<string, unknown>) => ({ ...problem, requestId: undefined, instance: undefined });
  assert.deepEqual(strip((await fromBob.json()) as Record<string, unknown>), strip((await missing.json()) as Record<string, unknown>), 'no existence oracle');

  assert.equal((await fetch(adaUrl)).status, 401, 'anonymous');
});

test('GET /api/v1/users lists users for admins only: 403 for users, 401 anonymous', async (t) => {
  const server = await startApp(t);
  const ada = await newUser(server, 'ada@example.com');
  assert.equal((await fetch(`${server.url}/api/v1/users`)).status, 401);
  const asUser = await documentedResponse('GET', await fetch(`${server.url}/api/v1/users`, { headers: ada.headers }));
  assert.equal(asUser.status, 403);
  assert.doesNotMatch(await asUser.text(), /ada@example\.com/);
});

test('GET /api/v1/users pages by keyset with an opaque cursor', async (t) => {
  const server = await startApp(t);
  const admin = await newUser(server, 'admin@example.com', 'admin');
  const emails = ['c1@example.com', 'c2@example.com', 'c3@example.com'];
  for (const email of emails) await signUp(server, email);
  const page = async (query: string) => {
    const res = await documentedResponse('GET', await fetch(`${server.url}/api/v1/users?${query}`, { headers: admin.headers }));
    assert.equal(res.status, 200, query);
    return (await res.json()) as Page;
  };

  const first = await page('limit=2');
  assert.deepEqual(first.items.map((user) => user.email), ['admin@example.com', 'c1@example.com']);
  assert.ok(first.nextCursor);
  const second = await page(`limit=2&cursor=${first.nextCursor}`);
  assert.deepEqual(second.items.map((user) => user.email), ['c2@example.com', 'c3@example.com']);
  assert.equal(second.nextCursor, null);

  for (const cursor of ['not-a-cursor', Buffer.from('1.x').toString('base64url'), "'%20OR%201=1--"]) {
    const res = await fetch(`${server.url}/api/v1/users?cursor=${cursor}`, { headers: admin.headers });
    assert.equal(res.status, 400, cursor);
  }
});

test('names refuse control and text-direction characters', async (t) => {
  const { url } = await startApp(t);
  for (const name of ['Eve\u202Egnp.exe', 'a\u0000b', 'line\nbreak', 'x\u2066y', 'tab\there']) {
    const res = await postJson(`${url}/api/v1/users`, { email: 'eve@example.com', password: PASSWORD, name });
    assert.equal(res.status, 400, JSON.stringify(name));
  }
  assert.equal((await postJson(`${url}/api/v1/users`, { email: 'zoe@example.com', password: PASSWORD, name: 'Zoë Ångström-李' })).status, 202);
});
