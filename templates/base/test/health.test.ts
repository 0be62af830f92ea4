import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readiness } from '../src/readiness.ts';
import { startApp } from './helpers.ts';

test('/healthz is 200 while the process runs', async (t) => {
  const { url } = await startApp(t);
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('/readyz is 200, then 503 once shutdown starts or a backing service is down', async (t) => {
  const readiness = new Readiness();
  let serviceUp = true;
  readiness.addCheck(() => Promise.resolve(serviceUp));
  const { url } = await startApp(t, {}, { readiness });

  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  serviceUp = false;
  assert.equal((await fetch(`${url}/readyz`)).status, 503);
  serviceUp = true;
  readiness.startShutdown();
  const res = await fetch(`${url}/readyz`);
  assert.equal(res.status, 503);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
});
