import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp } from './helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('every response gets a generated X-Request-Id', async (t) => {
  const { url } = await startApp(t);
  const a = await fetch(`${url}/healthz`);
  const b = await fetch(`${url}/nope`);
  assert.match(a.headers.get('x-request-id') ?? '', UUID);
  assert.match(b.headers.get('x-request-id') ?? '', UUID);
  assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
  assert.equal(((await b.json()) as { requestId: string }).requestId, b.headers.get('x-request-id'));
});

test('a sane incoming X-Request-Id is kept and echoed', async (t) => {
  const { url } = await startApp(t);
  const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'lb-1234.abc_DEF' } });
  assert.equal(res.headers.get('x-request-id'), 'lb-1234.abc_DEF');
});

test('an unsafe incoming X-Request-Id is replaced', async (t) => {
  const { url } = await startApp(t);
  for (const id of ['a'.repeat(129), 'has space', '"quoted"', 'line\\nbreak', '<script>', 'ümlaut']) {
    const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': id } });
    assert.match(res.headers.get('x-request-id') ?? '', UUID, id);
  }
});
