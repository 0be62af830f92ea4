import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { engine, guarded } from '../src/db/engine.ts';
import { openNodeSqlite } from '../src/db/node-sqlite.ts';
import { ServiceHealth } from '../src/service-health.ts';
import { captureLogs } from './helpers.ts';

function tempFile(t: TestContext): string {
  const folder = mkdtempSync(join(tmpdir(), 'sqlite-'));
  t.after(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  return join(folder, 'nested', 'app.db');
}

test('the adapter gives Kysely what it needs: rows from queries, changes and ids from statements', () => {
  const database = openNodeSqlite(':memory:');
  database.prepare('create table t (id integer primary key, name text)').run([]);
  const insert = database.prepare('insert into t (name) values (?)');
  assert.equal(insert.reader, false);
  assert.deepEqual({ ...insert.run(['a']) }, { changes: 1, lastInsertRowid: 1 });
  const select = database.prepare('select id, name from t where name = ?');
  assert.equal(select.reader, true);
  assert.deepEqual(select.all(['a']).map((row) => ({ ...(row as object) })), [{ id: 1, name: 'a' }]);
  assert.deepEqual([...select.iterate(['a'])].length, 1);
  // An insert with RETURNING yields rows, so it is read as a query.
  assert.equal(database.prepare('insert into t (name) values (?) returning id').reader, true);
  database.close();
});

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

test('the folder it creates is 0700 and the file, its WAL and shared memory are 0600, whatever the umask', (t) => {
  const path = tempFile(t);
  const umask = process.umask(0);
  t.after(() => process.umask(umask));
  const database = openNodeSqlite(path);
  database.prepare('create table t (secret text)').run([]);
  database.prepare('insert into t (secret) values (?)').run(['password hash']);
  assert.deepEqual(
    [dirname(path), path, `${path}-wal`, `${path}-shm`].map(modeOf),
    ['700', '600', '600', '600'],
  );
  database.close();
});

test('a database file left readable by others is made private when opened', (t) => {
  const path = tempFile(t);
  mkdirSync(dirname(path), { recursive: true });
  for (const file of [path, `${path}-wal`]) writeFileSync(file, '', { mode: 0o644 });
  const database = openNodeSqlite(path);
  database.prepare('create table t (secret text)').run([]);
  assert.deepEqual([path, `${path}-wal`, `${path}-shm`].map(modeOf), ['600', '600', '600']);
  database.close();
});

test('statements are prepared once per SQL text and reused', () => {
  const database = openNodeSqlite(':memory:');
  assert.equal(database.prepare('select 1 as one'), database.prepare('select 1 as one'));
  database.close();
});

test('a file database is created with its folder, in WAL mode with foreign keys enforced', async (t) => {
  const path = tempFile(t);
  const db = new Kysely<never>({ dialect: engine.createDialect({ path }, new ServiceHealth('database', captureLogs().logger)) });
  t.after(() => db.destroy());
  const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0] as unknown;
  assert.equal(await pragma('journal_mode'), 'wal');
  assert.equal(await pragma('foreign_keys'), 1);
  assert.equal(await pragma('busy_timeout'), 5000);
});

test('parameters are bound, never spliced into the SQL', () => {
  const database = openNodeSqlite(':memory:');
  database.prepare('create table t (name text)').run([]);
  const evil = "x'); drop table t; --";
  database.prepare('insert into t (name) values (?)').run([evil]);
  assert.deepEqual(database.prepare('select name from t').all([]).map((row) => (row as { name: string }).name), [evil]);
  database.close();
});

test('a database locked by another connection for longer than the busy timeout is a 503, and reported down', async (t) => {
  const path = tempFile(t);
  const holder = openNodeSqlite(path);
  holder.prepare('create table t (x integer)').run([]);
  holder.prepare('begin exclusive').run([]);
  t.after(() => {
    holder.close();
  });
  const health = new ServiceHealth('database', captureLogs().logger);
  // The engine's guard, over a connection with a short busy timeout so the test need not wait 5 s.
  const db = new Kysely<never>({ dialect: new SqliteDialect({ database: guarded(openNodeSqlite(path, { busyTimeoutMs: 50 }), health) }) });
  t.after(() => db.destroy());
  await assert.rejects(sql`insert into t values (1)`.execute(db), (error: unknown) => (error as { status?: number }).status === 503);
  assert.equal(health.state, 'down');
  holder.prepare('commit').run([]);
  await sql`insert into t values (1)`.execute(db);
  assert.equal(health.state, 'up');
});
