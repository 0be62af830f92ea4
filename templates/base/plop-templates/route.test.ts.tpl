import assert from 'node:assert/strict';
{{#if (itemMethods methods)}}
import { randomUUID } from 'node:crypto';
{{/if}}
import { test } from 'node:test';
{{#if (is access 'public')}}
import { {{#if (bodyMethods methods)}}postJson, {{/if}}sameOrigin, startApp{{#if (itemMethods methods)}}, type TestServer{{/if}} } from './helpers.ts';
{{else}}
import { newUser, {{#if (bodyMethods methods)}}postJson, {{/if}}send, startApp, type TestServer } from './helpers.ts';
{{/if}}

const PATH = '/api/v1/{{kebabCase name}}';
{{#if (itemMethods methods)}}
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
{{/if}}

{{#if (is access 'public')}}
/** Anyone may call it: the requests carry no session at all. */
const anyone = () => Promise.resolve({ headers: sameOrigin, id: '' });
{{else}}
/** A user the rule lets in{{#if (is access 'admin')}} (an admin){{/if}}, and the headers that carry their session. */
async function caller(server: TestServer, email = 'caller@example.com') {
  const signedIn = await newUser(server, email{{#if (is access 'admin')}}, 'admin'{{/if}});
  return { headers: signedIn.headers, id: signedIn.user.id };
}
{{/if}}
{{#if (itemMethods methods)}}

/** An item straight in the table, to read or change over HTTP. */
async function seed(server: TestServer, {{#if (is access 'owner')}}ownerId: string, {{/if}}name = 'Seeded'): Promise<string> {
  const id = randomUUID();
  await server.database.db.insertInto('{{snakeCase name}}').values({ id, name, {{#if (is access 'owner')}}owner_id: ownerId, {{/if}}created_at: Date.now() }).execute();
  return id;
}
{{/if}}
{{#if (has methods 'POST')}}

test('POST {{kebabCase name}} creates an item and refuses unknown fields', async (t) => {
  const server = await startApp(t);
  const { headers } = await {{#if (is access 'public')}}anyone(){{else}}caller(server){{/if}};
  const created = await postJson(`${server.url}${PATH}`, { name: 'First' }, headers);
  assert.equal(created.status, 201);
  const item = (await created.json()) as { id: string; name: string };
  assert.equal(item.name, 'First');
  assert.equal(created.headers.get('location'), `${PATH}/${item.id}`);

  const refused = await postJson(`${server.url}${PATH}`, { name: 'Second', isAdmin: true }, headers);
  assert.equal(refused.status, 400);
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  // Control and text-direction characters are refused (a NUL would also be a 500 on PostgreSQL).
  for (const name of ['a\u0000b', 'evil\u202Egnp.exe']) assert.equal((await postJson(`${server.url}${PATH}`, { name }, headers)).status, 400, JSON.stringify(name));
});
{{/if}}
{{#if (has methods 'GET')}}

test('GET {{kebabCase name}} lists items and validates its query', async (t) => {
  const server = await startApp(t);
  const { headers{{#if (is access 'owner')}}, id{{/if}} } = await {{#if (is access 'public')}}anyone(){{else}}caller(server){{/if}};
  await server.database.db.insertInto('{{snakeCase name}}').values({ id: '11111111-1111-4111-8111-111111111111', name: 'Listed', {{#if (is access 'owner')}}owner_id: id, {{/if}}created_at: Date.now() }).execute();
  const res = await fetch(`${server.url}${PATH}?limit=10`, { headers });
  assert.equal(res.status, 200);
  const { items } = (await res.json()) as { items: { name: string }[] };
  assert.deepEqual(
    items.map((item) => item.name),
    ['Listed'],
  );
  assert.equal((await fetch(`${server.url}${PATH}?limit=1&limit=2`, { headers })).status, 400);
  assert.equal((await fetch(`${server.url}${PATH}?unknown=1`, { headers })).status, 400);
});

test('GET {{kebabCase name}}/:id reads an item; an unknown id is a 404{{#unless (is access 'owner')}}, a malformed one a 400{{/unless}}', async (t) => {
  const server = await startApp(t);
  const { headers{{#if (is access 'owner')}}, id: ownerId{{/if}} } = await {{#if (is access 'public')}}anyone(){{else}}caller(server){{/if}};
  const id = await seed(server{{#if (is access 'owner')}}, ownerId{{/if}}, 'Read me');
  const found = await fetch(`${server.url}${PATH}/${id}`, { headers });
  assert.equal(found.status, 200);
  assert.deepEqual(await found.json(), { id, name: 'Read me' });
  assert.equal((await fetch(`${server.url}${PATH}/${UNKNOWN_ID}`, { headers })).status, 404);
{{#if (is access 'owner')}}
  // Ownership is checked first: a malformed id is nobody's, so it is a 404 like any other.
  for (const malformed of ['not-an-id', '%00']) assert.equal((await fetch(`${server.url}${PATH}/${malformed}`, { headers })).status, 404, malformed);
{{else}}
  for (const malformed of ['not-an-id', '%00']) assert.equal((await fetch(`${server.url}${PATH}/${malformed}`, { headers })).status, 400, malformed);
{{/if}}
});
{{/if}}
{{#if (has methods 'PUT')}}

test('PUT {{kebabCase name}}/:id replaces an item', async (t) => {
  const server = await startApp(t);
  const { headers{{#if (is access 'owner')}}, id: ownerId{{/if}} } = await {{#if (is access 'public')}}anyone(){{else}}caller(server){{/if}};
  const put = (id: string, body: unknown) => postJson(`${server.url}${PATH}/${id}`, body, headers, 'PUT');
  const id = await seed(server{{#if (is access 'owner')}}, ownerId{{/if}}, 'Old');
  const replaced = await put(id, { name: 'New' });
  assert.equal(replaced.status, 200);
  assert.deepEqual(await replaced.json(), { id, name: 'New' });
  assert.equal((await put(id, { name: 'New', extra: 1 })).status, 400);
  assert.equal((await put(UNKNOWN_ID, { name: 'New' })).status, 404);
});
{{/if}}
{{#if (has methods 'PATCH')}}

test('PATCH {{kebabCase name}}/:id updates an item', async (t) => {
  const server = await startApp(t);
  const { headers{{#if (is access 'owner')}}, id: ownerId{{/if}} } = await {{#if (is access 'public')}}anyone(){{else}}caller(server){{/if}};
  const patch = (id: string, body: unknown) => postJson(`${server.url}${PATH}/${id}`, body, headers, 'PATCH');
  const id = await seed(server{{#if (is access 'owner')}}, ownerId{{/if}}, 'Old');
  const updated = await patch(id, { name: 'New' });
  assert.equal(updated.status, 200);
  assert.deepEqual(await updated.json(), { id, name: 'New' });
  assert.equal((await patch(id, { id: UNKNOWN_ID })).status, 400);
  assert.equal((await patch(UNKNOWN_ID, { name: 'New' })).status, 404);
});
{{/if}}
{{#if (has methods 'DELETE')}}

test('DELETE {{kebabCase name}}/:id removes an item', async (t) => {
  const server = await startApp(t);
  const { headers{{#if (is access 'owner')}}, id: ownerId{{/if}} } = await {{#if (is access 'public')}}anyone(){{else}}caller(server){{/if}};
  const remove = (id: string) => fetch(`${server.url}${PATH}/${id}`, { method: 'DELETE', headers });
  const id = await seed(server{{#if (is access 'owner')}}, ownerId{{/if}});
  assert.equal((await remove(id)).status, 204);
  assert.equal((await remove(id)).status, 404);
  assert.equal((await remove(UNKNOWN_ID)).status, 404);
});
{{/if}}
{{#unless (is access 'public')}}

test('{{kebabCase name}} refuses anonymous callers with 401 and a challenge, on every method', async (t) => {
  const server = await startApp(t);
{{#if (itemMethods methods)}}
  const id = await seed(server{{#if (is access 'owner')}}, (await caller(server)).id{{/if}});
{{/if}}
  const requests: [string, string][] = [
{{#if (has methods 'GET')}}
    ['GET', PATH],
    ['GET', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'POST')}}
    ['POST', PATH],
{{/if}}
{{#if (has methods 'PUT')}}
    ['PUT', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'PATCH')}}
    ['PATCH', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'DELETE')}}
    ['DELETE', `${PATH}/${id}`],
{{/if}}
  ];
  for (const [method, path] of requests) {
    const res = await send(method, `${server.url}${path}`, {}, { name: 'Anonymous' });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.ok(res.headers.get('www-authenticate'), `${method} ${path}`);
  }
});
{{/unless}}
{{#if (is access 'admin')}}

test('{{kebabCase name}} refuses signed-in users who are not admins with 403, on every method', async (t) => {
  const server = await startApp(t);
  const { headers } = await newUser(server, 'user@example.com');
{{#if (itemMethods methods)}}
  const id = await seed(server);
{{/if}}
  const requests: [string, string][] = [
{{#if (has methods 'GET')}}
    ['GET', PATH],
    ['GET', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'POST')}}
    ['POST', PATH],
{{/if}}
{{#if (has methods 'PUT')}}
    ['PUT', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'PATCH')}}
    ['PATCH', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'DELETE')}}
    ['DELETE', `${PATH}/${id}`],
{{/if}}
  ];
  for (const [method, path] of requests) {
    assert.equal((await send(method, `${server.url}${path}`, headers, { name: 'Not mine' })).status, 403, `${method} ${path}`);
  }
});
{{/if}}
{{#if (is access 'owner')}}
{{#if (itemMethods methods)}}

test("{{kebabCase name}}: a user never sees or changes another user's items; an admin may", async (t) => {
  const server = await startApp(t);
  const owner = await caller(server, 'owner@example.com');
  const other = await caller(server, 'other@example.com');
  const admin = await newUser(server, 'admin@example.com', 'admin');
  const id = await seed(server, owner.id, 'Private');
  const requests: [string, string][] = [
{{#if (has methods 'GET')}}
    ['GET', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'PUT')}}
    ['PUT', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'PATCH')}}
    ['PATCH', `${PATH}/${id}`],
{{/if}}
{{#if (has methods 'DELETE')}}
    ['DELETE', `${PATH}/${id}`],
{{/if}}
  ];
  for (const [method, path] of requests) {
    // The same 404 as a missing id: nothing tells the other user the item exists.
    assert.equal((await send(method, `${server.url}${path}`, other.headers, { name: 'Taken over' })).status, 404, `${method} ${path}`);
  }
{{#if (has methods 'GET')}}
  const list = async (headers: Record<string, string>) =>
    ((await (await fetch(`${server.url}${PATH}`, { headers })).json()) as { items: { name: string }[] }).items.map((item) => item.name);
  assert.deepEqual(await list(other.headers), []);
  assert.deepEqual(await list(owner.headers), ['Private']);
  assert.deepEqual(await list(admin.headers), ['Private']);
{{/if}}
  for (const [method, path] of requests) {
    const res = await send(method, `${server.url}${path}`, admin.headers, { name: 'By an admin' });
    assert.ok(res.status === 200 || res.status === 204, `${method} ${path} by an admin: ${String(res.status)}`);
  }
});
{{/if}}
{{/if}}

test('{{kebabCase name}} answers other methods with 405 and carries the security headers', async (t) => {
  const server = await startApp(t);
  const { headers } = await {{#if (is access 'public')}}anyone(){{else}}caller(server){{/if}};
{{#if (collectionMethods methods)}}
  const res = await fetch(`${server.url}${PATH}`, { method: 'DELETE', headers });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow')?.includes('DELETE'), false);
{{else}}
  const res = await fetch(`${server.url}${PATH}/${UNKNOWN_ID}`, { method: 'POST', headers });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow')?.includes('POST'), false);
{{/if}}
  assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
});
