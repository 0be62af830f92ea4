import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readiness } from '../src/readiness.ts';
import { ServiceHealth } from '../src/service-health.ts';
import { captureLogs, startApp, testDatabase } from './helpers.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('/healthz is 200 while the process runs', async (t) => {
  const { url } = await startApp(t);
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('/readyz is 503 while starting, 200 once ready naming each dependency, 503 again once shutdown starts', async (t) => {
  const readiness = new Readiness();
  const { url } = await startApp(t, {}, { readiness });
  // startApp marks it ready once listening, as src/server.ts does.
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', dependencies: { database: 'up' } });

  readiness.startShutdown();
  const res = await fetch(`${url}/readyz`);
  assert.equal(res.status, 503);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.headers.get('retry-after'), '5');

  const starting = await startApp(t, {}, { readiness: Object.assign(new Readiness(), { markReady: () => undefined }) });
  assert.equal((await fetch(`${starting.url}/readyz`)).status, 503, 'not ready before start-up work is done');
});

test('a shared service going down does not fail readiness: /readyz names it, the outage is logged once each way', async (t) => {
  const { logger, lines } = captureLogs();
  const server = await startApp(t, {}, { logger, database: await testDatabase(t, logger) });
  const health = server.database.health;
  health.failed(new Error('connection refused'));
  health.failed(new Error('connection refused'));
  const during = await fetch(`${server.url}/readyz`);
  assert.equal(during.status, 200, 'every instance shares the service: a 503 would take them all out at once');
  assert.deepEqual(await during.json(), { status: 'ready', dependencies: { database: 'down' } });
  health.succeeded();
  health.succeeded();
  assert.deepEqual(await (await fetch(`${server.url}/readyz`)).json(), { status: 'ready', dependencies: { database: 'up' } });
  await settle();
  const messages = lines().map((line) => line.msg);
  assert.equal(messages.filter((msg) => msg === 'database is unavailable: requests that need it get a 503 until it is back').length, 1);
  assert.equal(messages.filter((msg) => msg === 'database is available again').length, 1);
});

test('the health of a service is watched while no request uses it', async (t) => {
  const health = new ServiceHealth('cache', captureLogs().logger);
  let up = false;
  health.watch(() => (up ? Promise.resolve() : Promise.reject(new Error('down'))), 20);
  t.after(() => {
    health.stopWatching();
  });
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(health.state, 'down');
  up = true;
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(health.state, 'up');
});
