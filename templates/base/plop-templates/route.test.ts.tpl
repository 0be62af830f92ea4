import assert from 'node:assert/strict';
import { test } from 'node:test';
{{#if (has methods 'POST')}}
import { postJson, startApp } from './helpers.ts';
{{else}}
import { startApp } from './helpers.ts';
{{/if}}
{{#if (itemMethods methods)}}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
{{/if}}
{{#if (has methods 'POST')}}

test('POST /api/v1/{{kebabCase name}} creates an item and refuses unknown fields', async (t) => {
  const { url } = await startApp(t);
  const created = await postJson(`${url}/api/v1/{{kebabCase name}}`, { name: 'First' });
  assert.equal(created.status, 201);
  const item = (await created.json()) as { id: string; name: string };
  assert.equal(item.name, 'First');
  assert.equal(created.headers.get('location'), `/api/v1/{{kebabCase name}}/${item.id}`);

  const refused = await postJson(`${url}/api/v1/{{kebabCase name}}`, { name: 'Second', isAdmin: true });
  assert.equal(refused.status, 400);
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
});
{{/if}}
{{#if (has methods 'GET')}}

test('GET /api/v1/{{kebabCase name}} lists items and validates its query', async (t) => {
  const { url } = await startApp(t);
{{#if (has methods 'POST')}}
  await postJson(`${url}/api/v1/{{kebabCase name}}`, { name: 'Listed' });
{{/if}}
  const res = await fetch(`${url}/api/v1/{{kebabCase name}}?limit=10`);
  assert.equal(res.status, 200);
  const { items } = (await res.json()) as { items: { name: string }[] };
{{#if (has methods 'POST')}}
  assert.deepEqual(
    items.map((item) => item.name),
    ['Listed'],
  );
{{else}}
  assert.deepEqual(items, []);
{{/if}}
  assert.equal((await fetch(`${url}/api/v1/{{kebabCase name}}?limit=1&limit=2`)).status, 400);
  assert.equal((await fetch(`${url}/api/v1/{{kebabCase name}}?unknown=1`)).status, 400);
});

test('GET /api/v1/{{kebabCase name}}/:id is 404 for an unknown id and 400 for a malformed one', async (t) => {
  const { url } = await startApp(t);
  assert.equal((await fetch(`${url}/api/v1/{{kebabCase name}}/${UNKNOWN_ID}`)).status, 404);
  assert.equal((await fetch(`${url}/api/v1/{{kebabCase name}}/not-an-id`)).status, 400);
});
{{/if}}
{{#if (has methods 'PUT')}}

test('PUT /api/v1/{{kebabCase name}}/:id replaces an item', async (t) => {
  const { url } = await startApp(t);
  const put = (id: string, body: unknown) =>
    fetch(`${url}/api/v1/{{kebabCase name}}/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
{{#if (has methods 'POST')}}
  const { id } = (await (await postJson(`${url}/api/v1/{{kebabCase name}}`, { name: 'Old' })).json()) as { id: string };
  const replaced = await put(id, { name: 'New' });
  assert.equal(replaced.status, 200);
  assert.deepEqual(await replaced.json(), { id, name: 'New' });
  assert.equal((await put(id, { name: 'New', extra: 1 })).status, 400);
{{/if}}
  assert.equal((await put(UNKNOWN_ID, { name: 'New' })).status, 404);
});
{{/if}}
{{#if (has methods 'PATCH')}}

test('PATCH /api/v1/{{kebabCase name}}/:id updates an item', async (t) => {
  const { url } = await startApp(t);
  const patch = (id: string, body: unknown) =>
    fetch(`${url}/api/v1/{{kebabCase name}}/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
{{#if (has methods 'POST')}}
  const { id } = (await (await postJson(`${url}/api/v1/{{kebabCase name}}`, { name: 'Old' })).json()) as { id: string };
  const updated = await patch(id, { name: 'New' });
  assert.equal(updated.status, 200);
  assert.deepEqual(await updated.json(), { id, name: 'New' });
  assert.equal((await patch(id, { id: UNKNOWN_ID })).status, 400);
{{/if}}
  assert.equal((await patch(UNKNOWN_ID, { name: 'New' })).status, 404);
});
{{/if}}
{{#if (has methods 'DELETE')}}

test('DELETE /api/v1/{{kebabCase name}}/:id removes an item', async (t) => {
  const { url } = await startApp(t);
  const remove = (id: string) => fetch(`${url}/api/v1/{{kebabCase name}}/${id}`, { method: 'DELETE' });
{{#if (has methods 'POST')}}
  const { id } = (await (await postJson(`${url}/api/v1/{{kebabCase name}}`, { name: 'Doomed' })).json()) as { id: string };
  assert.equal((await remove(id)).status, 204);
  assert.equal((await remove(id)).status, 404);
{{/if}}
  assert.equal((await remove(UNKNOWN_ID)).status, 404);
});
{{/if}}

test('/api/v1/{{kebabCase name}} answers other methods with 405 and carries the security headers', async (t) => {
  const { url } = await startApp(t);
{{#if (collectionMethods methods)}}
  const res = await fetch(`${url}/api/v1/{{kebabCase name}}`, { method: 'DELETE' });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow')?.includes('DELETE'), false);
{{else}}
  const res = await fetch(`${url}/api/v1/{{kebabCase name}}/${UNKNOWN_ID}`, { method: 'POST' });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow')?.includes('POST'), false);
{{/if}}
  assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
});
