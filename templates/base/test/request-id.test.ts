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

test('behind a trusted proxy (TRUST_PROXY > 0) a sane incoming X-Request-Id is kept and echoed', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1' });
  const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'lb-1234.abc_DEF' } });
  assert.equal(res.headers.get('x-request-id'), 'lb-1234.abc_DEF');
});

test('without a trusted proxy (TRUST_PROXY=0) a client cannot choose its request id', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '0' });
  const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'someone-elses-request' } });
  assert.match(res.headers.get('x-request-id') ?? '', UUID);
});

test('an unsafe incoming X-Request-Id is replaced, even from a trusted proxy', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1' });
  for (const id of ['a'.repeat(129), 'has space', '"quoted"', 'line\\nbreak', '<script>', 'ümlaut']) {
    const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': id } });
    assert.match(res.headers.get('x-request-id') ?? '', UUID, id);
  }
});
