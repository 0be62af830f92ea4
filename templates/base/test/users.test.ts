import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postJson, startApp } from './helpers.ts';

interface PublicUser {
  id: string;
  email: string;
  name: string | null;
}

test('POST /api/v1/users creates a user: 201 {id, email, name}, never the password', async (t) => {
  const { url } = await startApp(t);
  const res = await postJson(`${url}/api/v1/users`, { email: ' Ada@Example.com ', password: 'correct horse battery', name: 'Ada' });
  assert.equal(res.status, 201);
  const text = await res.text();
  assert.ok(!text.includes('correct horse battery') && !text.includes('scrypt'), 'no password or hash in the response');
  const user = JSON.parse(text) as PublicUser;
  assert.deepEqual(Object.keys(user).sort(), ['email', 'id', 'name']);
  assert.equal(user.email, 'ada@example.com');
  assert.equal(user.name, 'Ada');
  assert.equal(res.headers.get('location'), `/api/v1/users/${user.id}`);

  const again = await postJson(`${url}/api/v1/users`, { email: 'ada@example.com', password: 'another long password' });
  assert.equal(again.status, 409);
});

test('GET /api/v1/users/:id is 200 for a user and 404 otherwise', async (t) => {
  const { url } = await startApp(t);
  const created = (await (await postJson(`${url}/api/v1/users`, { email: 'b@example.com', password: 'correct horse battery' })).json()) as PublicUser;
  const found = await fetch(`${url}/api/v1/users/${created.id}`);
  assert.equal(found.status, 200);
  assert.deepEqual(await found.json(), { id: created.id, email: 'b@example.com', name: null });
  const missing = await fetch(`${url}/api/v1/users/00000000-0000-4000-8000-000000000000`);
  assert.equal(missing.status, 404);
});

test('GET /api/v1/users pages with limit and cursor', async (t) => {
  const { url } = await startApp(t);
  const emails = ['c1@example.com', 'c2@example.com', 'c3@example.com'];
  for (const email of emails) await postJson(`${url}/api/v1/users`, { email, password: 'correct horse battery' });

  const first = (await (await fetch(`${url}/api/v1/users?limit=2`)).json()) as { items: PublicUser[]; nextCursor: string | null };
  assert.deepEqual(
    first.items.map((user) => user.email),
    emails.slice(0, 2),
  );
  assert.ok(first.nextCursor);
  const second = (await (await fetch(`${url}/api/v1/users?limit=2&cursor=${first.nextCursor}`)).json()) as {
    items: PublicUser[];
    nextCursor: string | null;
  };
  assert.deepEqual(
    second.items.map((user) => user.email),
    emails.slice(2),
  );
  assert.equal(second.nextCursor, null);

  const unknown = await fetch(`${url}/api/v1/users?cursor=00000000-0000-4000-8000-000000000000`);
  assert.equal(unknown.status, 400);
});
