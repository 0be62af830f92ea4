import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureLogs, failingDatabase, PASSWORD, postJson, sameOrigin, startApp, testDatabase } from './helpers.ts';

const SECRET_MESSAGE = 'connect ECONNREFUSED 10.1.2.3:5432 at /srv/app/src/db/internal.ts';

test('in production a 500 carries no stack, file path or internal message', async (t) => {
  const { logger, lines } = captureLogs();
  const database = failingDatabase(await testDatabase(t), SECRET_MESSAGE);
  const { url } = await startApp(t, { NODE_ENV: 'production' }, { database, logger });
  const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: PASSWORD });
  assert.equal(res.status, 500);
  const text = await res.text();
  const problem = JSON.parse(text) as Record<string, unknown>;
  assert.equal(problem.detail, 'An unexpected error occurred.');
  assert.doesNotMatch(text, /ECONNREFUSED|10\.1\.2\.3|internal\.ts|\/srv\/|at \w+ \(|\.ts:\d+/);
  assert.deepEqual(Object.keys(problem).sort(), ['detail', 'instance', 'requestId', 'status', 'title', 'type']);

  // The server log keeps everything, tied to the request id.
  await new Promise((resolve) => setImmediate(resolve));
  const line = lines().find((entry) => entry.reqId === problem.requestId || (entry.req as { id?: string } | undefined)?.id === problem.requestId);
  assert.ok(line, 'a log line for the request');
  const err = line.err as { message: string; stack: string };
  assert.equal(err.message, SECRET_MESSAGE);
  assert.match(err.stack, /helpers\.ts/);
});

test('outside production too the 500 says nothing internal: the log line (on the terminal) has it', async (t) => {
  const { logger, lines } = captureLogs();
  const database = failingDatabase(await testDatabase(t), SECRET_MESSAGE);
  const { url } = await startApp(t, { NODE_ENV: 'development' }, { database, logger });
  const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: PASSWORD });
  const problem = (await res.json()) as Record<string, unknown>;
  assert.equal(problem.detail, 'An unexpected error occurred.');
  assert.equal(problem.stack, undefined);
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(lines().some((line) => (line.err as { message?: string } | undefined)?.message === SECRET_MESSAGE));
});

test('client errors are identical in production: their details are written for clients', async (t) => {
  const { url } = await startApp(t, { NODE_ENV: 'production' });
  const res = await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...sameOrigin }, body: '{' });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { detail: string }).detail, 'The request body is not valid JSON.');
});
