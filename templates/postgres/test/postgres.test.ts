import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { connect, openDatabase } from '../src/db/database.ts';
import { captureLogs, newUser, PASSWORD, postJson, schemaUrl, startApp, testSchema } from './helpers.ts';
import { TcpProxy } from './tcp-proxy.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within ${String(timeoutMs)} ms: ${what}`);
    await sleep(100);
  }
}

test('a PostgreSQL outage: requests that need it get a 503 problem with Retry-After, /readyz stays 200 and names it, all recover', async (t) => {
  const proxy = await TcpProxy.start(schemaUrl(await testSchema()));
  t.after(() => proxy.down());
  const { logger, lines } = captureLogs();
  const database = await openDatabase({ url: proxy.url, poolSize: 2, statementTimeoutMs: 2_000 }, logger);
  t.after(() => database.close());
  const server = await startApp(t, {}, { database, logger });
  const ada = await newUser(server, 'ada@example.com');
  const me = () => fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers });
  assert.equal((await me()).status, 200);

  await proxy.down();
  const during = await me();
  assert.equal(during.status, 503);
  assert.match(during.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(during.headers.get('retry-after'), '5');
  // Without the request id: a random UUID may well contain 5432.
  const problem = (await during.json()) as Record<string, unknown>;
  delete problem.requestId;
  assert.doesNotMatch(JSON.stringify(problem), /ECONNREFUSED|127\.0\.0\.1|postgres|5432|terminated/i, 'nothing about the database in the response');
  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'bob@example.com', password: PASSWORD })).status, 503);
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200, 'every instance shares the database: a 503 would take them all out of the load balancer');
  assert.deepEqual(await ready.json(), { status: 'ready', dependencies: { database: 'down' } });

  await proxy.up();
  await until(async () => (await me()).status === 200, 'requests succeed again');
  assert.deepEqual(await (await fetch(`${server.url}/readyz`)).json(), { status: 'ready', dependencies: { database: 'up' } });
  await settle();
  const messages = lines().map((line) => String(line.msg));
  assert.equal(messages.filter((msg) => msg.startsWith('database is unavailable')).length, 1, 'logged once when it starts');
  assert.equal(messages.filter((msg) => msg === 'database is available again').length, 1, 'and once when it ends');
});

test('start-up waits for a PostgreSQL that is not there yet', async (t) => {
  const proxy = await TcpProxy.start(schemaUrl(await testSchema()));
  t.after(() => proxy.down());
  await proxy.down();
  const opening = openDatabase({ url: proxy.url, poolSize: 2, statementTimeoutMs: 2_000 }, captureLogs().logger);
  await sleep(500);
  await proxy.up();
  const database = await opening;
  t.after(() => database.close());
  assert.equal(database.health.state, 'up');
});

test('the password in DATABASE_URL never reaches the log', async () => {
  const { logger, lines } = captureLogs('trace');
  const url = new URL(schemaUrl(await testSchema()));
  url.password = 'hunter2-db-password';
  url.port = '1';
  await assert.rejects(openDatabase({ url: url.href, poolSize: 1, statementTimeoutMs: 1_000 }, logger, { startupWaitMs: 500 }));
  await settle();
  assert.ok(!JSON.stringify(lines()).includes('hunter2'), 'no password in any log line');
});

// Kysely's migration lock (its adapter's advisory lock id): held here as another instance applying a
// long migration would hold it.
const MIGRATION_LOCK_ID = '3853314791062309107';

test('migrations are not bound by DATABASE_STATEMENT_TIMEOUT_MS: a start waits out another instance\'s long migration, then requests are bound again', async (t) => {
  const url = schemaUrl(await testSchema());
  const other = await connect({ url, poolSize: 1, statementTimeoutMs: 60_000 }, captureLogs().logger);
  t.after(() => other.close());
  const held = 1_500;
  const holding = other.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID}::bigint)`.execute(connection);
    await sleep(held);
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID}::bigint)`.execute(connection);
  });
  await sleep(100);
  const started = performance.now();
  const database = await openDatabase({ url, poolSize: 1, statementTimeoutMs: 200 }, captureLogs().logger);
  t.after(() => database.close());
  await holding;
  assert.ok(performance.now() - started >= held - 150, 'it waited for the lock, well past its 200 ms statement timeout');
  // poolSize 1: this is the very connection the migrations ran on.
  const { rows } = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(database.db);
  assert.equal(rows[0]?.statement_timeout, '200ms');
  await assert.rejects(sql`select pg_sleep(2)`.execute(database.db), (error: unknown) => (error as { status?: number }).status === 503);
});

test('a statement running past DATABASE_STATEMENT_TIMEOUT_MS is cancelled by PostgreSQL: a 503, not a held connection', async (t) => {
  const database = await openDatabase({ url: schemaUrl(await testSchema()), poolSize: 1, statementTimeoutMs: 200 }, captureLogs().logger);
  t.after(() => database.close());
  const started = performance.now();
  await assert.rejects(sql`select pg_sleep(5)`.execute(database.db), (error: unknown) => (error as { status?: number }).status === 503);
  assert.ok(performance.now() - started < 2_000);
  // The connection is usable again at once.
  await sql`select 1`.execute(database.db);
});
