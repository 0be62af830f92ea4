import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp } from './helpers.ts';

function assertPrototypeClean(): void {
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'isAdmin', 'role']) assert.equal(probe[key], undefined, `Object.prototype.${key}`);
  assert.deepEqual(Object.keys(Object.prototype), []);
}

const payloads = [
  '{"__proto__": {"polluted": true}}',
  '{"email": "a@example.com", "password": "long enough pass", "__proto__": {"isAdmin": true}}',
  '{"email": "a@example.com", "password": "long enough pass", "name": {"__proto__": {"polluted": 1}}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '{"email": "a@example.com", "password": "long enough pass", "x": {"constructor": {"prototype": {"role": "admin"}}}}',
];

test('prototype-pollution payloads in a JSON body are refused before any handler', async (t) => {
  const { url } = await startApp(t);
  for (const body of payloads) {
    for (const path of ['/api/v1/users', '/api/v1/auth/login']) {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, `${path} ${body}`);
    }
  }
  assertPrototypeClean();
  // Nothing was created.
  const list = (await (await fetch(`${url}/api/v1/users`)).json()) as { items: unknown[] };
  assert.deepEqual(list.items, []);
});

test('prototype-pollution keys in a query string are refused', async (t) => {
  const { url } = await startApp(t);
  for (const query of ['__proto__[polluted]=1', '__proto__=x', 'constructor[prototype][polluted]=1', 'constructor.prototype.polluted=1']) {
    const res = await fetch(`${url}/api/v1/users?${query}`);
    assert.equal(res.status, 400, query);
  }
  assertPrototypeClean();
});
