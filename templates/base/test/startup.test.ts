import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { loadDatabaseConfig } from '../src/config.ts';
import { connect, openDatabase } from '../src/db/database.ts';
import { createLogger } from '../src/log.ts';
import { databaseEnv, signIn, signUp } from './helpers.ts';
import { runScript, startServer } from './processes.ts';

const silent = () => createLogger({ logLevel: 'silent' });

test('a user created before a restart of the server process is there after it, and can sign in', async (t) => {
  const env = await databaseEnv(t);
  // What an earlier run of the server leaves behind: a migrated database with a user in it.
  const before = await openDatabase(loadDatabaseConfig({ NODE_ENV: 'test', ...env }), silent());
  const ada = await signUp({ database: before }, 'ada@example.com');
  await before.close();

  const server = await startServer(t, env);
  const session = await signIn(server.url, 'ada@example.com');
  assert.equal(session.user.id, ada.id);
  const me = await fetch(`${server.url}/api/v1/users/me`, { headers: session.headers });
  assert.deepEqual(await me.json(), ada);
  server.signal('SIGTERM');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
});

test('a failed migration stops the start with exit 1 and one line naming it; nothing listens', async (t) => {
  const env = await databaseEnv(t);
  // A table in the way of the first migration, as a hand-made change to the database would be.
  const connection = await connect(loadDatabaseConfig({ NODE_ENV: 'test', ...env }), silent());
  await sql`create table users (id integer)`.execute(connection.db);
  await connection.close();

  const result = await runScript('src/server.ts', [], { NODE_ENV: 'test', PORT: '0', ...env });
  assert.equal(result.status, 1);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0] ?? '', /^Could not open the database: Migration \d{14}_create_users failed: .*users.*exists/);
  assert.doesNotMatch(result.stdout, /listening/);
});
