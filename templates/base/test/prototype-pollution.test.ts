import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { jsonBody } from '../src/http/json-body.ts';
import { newUser, sameOrigin, startApp } from './helpers.ts';

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
  const server = await startApp(t);
  const { url } = server;
  for (const body of payloads) {
    for (const path of ['/api/v1/users', '/api/v1/auth/login']) {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...sameOrigin }, body });
      assert.equal(res.status, 400, `${path} ${body}`);
    }
  }
  assertPrototypeClean();
  // Nothing was created: the admin made here is the only user.
  const admin = await newUser(server, 'admin@example.com', 'admin');
  const list = (await (await fetch(`${url}/api/v1/users`, { headers: admin.headers })).json()) as { items: { email: string }[] };
  assert.deepEqual(list.items.map((user) => user.email), ['admin@example.com']);
});

test('prototype-pollution keys in a query string are refused', async (t) => {
  const server = await startApp(t);
  const admin = await newUser(server, 'admin@example.com', 'admin');
  for (const query of ['__proto__[polluted]=1', '__proto__=x', 'constructor[prototype][polluted]=1', 'constructor.prototype.polluted=1']) {
    const res = await fetch(`${server.url}/api/v1/users?${query}`, { headers: admin.headers });
    assert.equal(res.status, 400, query);
  }
  assertPrototypeClean();
});

/** The kind of deep merge found in many codebases: it copies `__proto__` like any other key. */
function naiveMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === 'object' && value !== null) {
      target[key] ??= {};
      naiveMerge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
  return target;
}

test('the JSON parser itself refuses them, protecting code that skips validation', async (t) => {
  const app = express();
  app.use(jsonBody('10kb'));
  app.post('/merge', (req, res) => {
    res.json(naiveMerge({}, req.body as Record<string, unknown>));
  });
  app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.sendStatus(err.status ?? 500);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => {
    server.close();
    // Undo the damage if the protection failed, so one failure does not cascade.
    for (const key of Object.keys(Object.prototype)) Reflect.deleteProperty(Object.prototype, key);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/merge`;
  for (const body of payloads) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 400, body);
  }
  assertPrototypeClean();
  const ordinary = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":{"b":1}}' });
  assert.deepEqual(await ordinary.json(), { a: { b: 1 } });
});
