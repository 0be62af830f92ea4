import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { loadDatabaseConfig } from '../src/config.ts';
import { connect } from '../src/db/database.ts';
import { createLogger } from '../src/log.ts';
import { databaseEnv } from './helpers.ts';
import { childEnv, PROJECT } from './processes.ts';

// Instances sharing one PostgreSQL start together: Kysely's migration lock (a row lock in
// kysely_migration_lock) lets one apply while the others wait, and the checksums are written once.
test('three db:migrate runs starting together on a fresh database apply each migration once and record one checksum each', { timeout: 60_000 }, async (t) => {
  const env = { NODE_ENV: 'test', ...(await databaseEnv(t)) };
  const runs = [0, 1, 2].map(() => {
    const child = spawn(process.execPath, [join(PROJECT, 'src/commands/migrate.ts')], { env: childEnv(env) });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.pipe(process.stderr);
    return once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout }));
  });
  const results = await Promise.all(runs);
  assert.deepEqual(results.map((result) => result.code), [0, 0, 0]);
  const applied = results.flatMap((result) => result.stdout.split('\n').filter((line) => line.startsWith('applied ')));
  const files = readdirSync(join(PROJECT, 'src/db/migrations')).filter((name) => name.endsWith('.ts'));
  assert.deepEqual(applied.map((line) => line.slice('applied '.length)).sort(), files.map((name) => name.slice(0, -'.ts'.length)).sort());

  const connection = await connect(loadDatabaseConfig(env), createLogger({ logLevel: 'silent' }));
  t.after(() => connection.close());
  const { rows } = await sql<{ count: number | string }>`select count(*) as count from migration_checksum`.execute(connection.db);
  assert.equal(Number(rows[0]?.count), files.length);
});
