import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDatabaseConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { createLogger } from '../src/log.ts';
import { databaseEnv, signIn, signUp, startApp } from './helpers.ts';
import { runScript } from './processes.ts';

const command = (name: string, args: readonly string[], env: Record<string, string>) => runScript(`src/commands/${name}.ts`, args, { NODE_ENV: 'test', ...env });

test('npm run db:migrate applies the migrations once, then says the database is up to date', async (t) => {
  const env = await databaseEnv(t);
  const first = await command('migrate', [], env);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^applied \d{14}_create_users\napplied \d{14}_create_sessions\n/);
  const second = await command('migrate', [], env);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, 'The database is up to date.\n');
});

test('npm run user:role makes the first admin, against the database the server uses', async (t) => {
  const env = await databaseEnv(t);
  // The app on the database the server process would open with these variables.
  const database = await openDatabase(loadDatabaseConfig({ NODE_ENV: 'test', ...env }), createLogger({ logLevel: 'silent' }));
  t.after(() => database.close());
  const server = await startApp(t, {}, { database });
  await signUp(server, 'ada@example.com');
  const ada = await signIn(server.url, 'ada@example.com');
  assert.equal((await fetch(`${server.url}/api/v1/users`, { headers: ada.headers })).status, 403);

  const promoted = await command('user-role', ['Ada@Example.com', 'admin'], env);
  assert.equal(promoted.status, 0, promoted.stderr);
  assert.equal(promoted.stdout, 'ada@example.com is now an admin.\n');
  // The same session: roles are read with each request.
  assert.equal((await fetch(`${server.url}/api/v1/users`, { headers: ada.headers })).status, 200);

  assert.equal((await command('user-role', ['ada@example.com', 'user'], env)).status, 0);
  const again = await signIn(server.url, 'ada@example.com');
  assert.equal((await fetch(`${server.url}/api/v1/users`, { headers: again.headers })).status, 403);
});

test('user:role refuses bad arguments and unknown users with one line', async (t) => {
  const env = await databaseEnv(t);
  const cases: [string[], RegExp][] = [
    [[], /^usage: npm run user:role -- <email> <admin\|user>$/],
    [['ada@example.com', 'root'], /^usage: /],
    [['not-an-email', 'admin'], /^usage: /],
    [['nobody@example.com', 'admin'], /^No user has the email nobody@example\.com\.$/],
  ];
  for (const [args, message] of cases) {
    const result = await command('user-role', args, env);
    assert.equal(result.status, 1, args.join(' '));
    assert.equal(result.stdout, '');
    assert.match(result.stderr.trimEnd(), message);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  }
});

test('npm run openapi writes the document GET /openapi.json serves, without connecting to anything', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'openapi-'));
  t.after(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  const file = join(folder, 'openapi.json');
  // NODE_ENV unset, so production: a database and a Redis that are never reached, since production wants
  // their settings and the document nothing from them.
  const written = await runScript('src/commands/openapi.ts', [file], { ...(await databaseEnv(t)), REDIS_URL: 'redis://unused.invalid:6379' });
  assert.equal(written.status, 0, written.stderr);
  assert.match(written.stdout, /^Wrote .*openapi\.json: \d+ paths\.\n$/);
  const { url } = await startApp(t);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), await (await fetch(`${url}/openapi.json`)).json());
});
