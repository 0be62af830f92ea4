import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { databaseEnv } from './helpers.ts';
import { PROJECT, runScript } from './processes.ts';

/** `npm run db:migrate` in `cwd`, where it looks for `.env`, with nothing in the environment but `env`. */
const migrate = (cwd: string, env: Record<string, string>) => runScript(join(PROJECT, 'src/commands/migrate.ts'), [], { NODE_ENV: 'test', ...env }, cwd);

test('the commands read .env when there is one, and say nothing when there is none', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'env-file-'));
  t.after(() => {
    rmSync(cwd, { recursive: true, force: true });
  });
  const database = await databaseEnv(t);

  const withoutFile = await migrate(cwd, database);
  assert.equal(withoutFile.status, 0, withoutFile.stderr);
  assert.equal(withoutFile.stderr, '', 'no ".env not found" notice');
  assert.match(withoutFile.stdout, /^applied /m);

  // The same database, named in .env alone: already migrated, so .env was read.
  writeFileSync(join(cwd, '.env'), Object.entries(database).map(([name, value]) => `${name}=${value}\n`).join(''));
  const fromFile = await migrate(cwd, {});
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, 'The database is up to date.\n');
});
