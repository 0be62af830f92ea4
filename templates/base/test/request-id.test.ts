import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp, testConfig } from './helpers.ts';

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

test('with TRUST_REQUEST_ID=true behind a proxy, a sane incoming X-Request-Id is kept and echoed', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', TRUST_REQUEST_ID: 'true' });
  const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'lb-1234.abc_DEF' } });
  assert.equal(res.headers.get('x-request-id'), 'lb-1234.abc_DEF');
});

test('a client cannot choose its request id unless TRUST_REQUEST_ID opts in, even behind a trusted proxy', async (t) => {
  for (const env of [{ TRUST_PROXY: '0' }, { TRUST_PROXY: '1' }, { TRUST_PROXY: '2', TRUST_REQUEST_ID: 'false' }]) {
    const { url } = await startApp(t, env);
    const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'someone-elses-request' } });
    assert.match(res.headers.get('x-request-id') ?? '', UUID, JSON.stringify(env));
  }
});

test('with TRUST_REQUEST_ID=true, a client reaching the port directly from outside TRUST_PROXY_FROM cannot choose its request id', async (t) => {
  // The test's requests come from loopback, which this TRUST_PROXY_FROM does not name: no proxy's.
  const { url } = await startApp(t, { TRUST_PROXY: '1', TRUST_PROXY_FROM: '192.0.2.0/24', TRUST_REQUEST_ID: 'true' });
  const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'someone-elses-request' } });
  assert.match(res.headers.get('x-request-id') ?? '', UUID);
});

test('TRUST_REQUEST_ID=true without a proxy stops the start: nothing would set the id but the client', () => {
  assert.throws(() => testConfig({ TRUST_PROXY: '0', TRUST_REQUEST_ID: 'true' }), /^ConfigError: Invalid environment variable TRUST_REQUEST_ID: expected false while TRUST_PROXY is 0/);
  assert.throws(() => testConfig({ TRUST_PROXY: '1', TRUST_REQUEST_ID: 'yes' }), /TRUST_REQUEST_ID: expected true or false/);
});

test('an unsafe incoming X-Request-Id is replaced, even when trusted', async (t) => {
  const { url } = await startApp(t, { TRUST_PROXY: '1', TRUST_REQUEST_ID: 'true' });
  for (const id of ['a'.repeat(129), 'has space', '"quoted"', 'line\\nbreak', '<script>', 'ümlaut']) {
    const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': id } });
    assert.match(res.headers.get('x-request-id') ?? '', UUID, id);
  }
});
