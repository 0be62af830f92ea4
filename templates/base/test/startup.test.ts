import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { loadDatabaseConfig } from '../src/config.ts';
import { connect } from '../src/db/database.ts';
import { createLogger } from '../src/log.ts';
import { databaseEnv, signIn, signUpByMail, startServerProcess } from './helpers.ts';
import { startMailServer } from './mail-server.ts';

test('a user created before a restart of the server process is there after it, and can sign in', async (t) => {
  const mail = await startMailServer(t);
  const env = { ...(await databaseEnv(t)), ...mail.env };
  const first = await startServerProcess(t, env);
  await signUpByMail(first.url, mail, 'ada@example.com');
  const { user: ada } = await signIn(first.url, 'ada@example.com');
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  const second = await startServerProcess(t, env);
  const session = await signIn(second.url, 'ada@example.com');
  assert.equal(session.user.id, ada.id);
  const me = await fetch(`${second.url}/api/v1/users/me`, { headers: session.headers });
  assert.deepEqual(await me.json(), ada);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('a failed migration stops the start with exit 1 and one line naming it; nothing listens', async (t) => {
  const env = await databaseEnv(t);
  // A table in the way of the first migration, as a hand-made change to the database would be.
  const connection = await connect(loadDatabaseConfig({ NODE_ENV: 'test', ...env }), createLogger({ logLevel: 'silent' }));
  await sql`create table users (id integer)`.execute(connection.db);
  await connection.close();

  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../src/server.ts', import.meta.url))], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 1);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0] ?? '', /^Could not open the database: Migration \d{14}_create_users failed: .*users.*exists/);
  assert.doesNotMatch(result.stdout, /listening/);
});
