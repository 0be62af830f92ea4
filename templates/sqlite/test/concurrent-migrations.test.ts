import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { loadDatabaseConfig } from '../src/config.ts';
import { connect } from '../src/db/database.ts';
import { createLogger } from '../src/log.ts';
import { databaseEnv } from './helpers.ts';
import { PROJECT, startServer } from './processes.ts';

const SERVERS = 3;

// Servers sharing one SQLite file start together (a restart that overlaps, two replicas on one volume):
// the first to take SQLite's write lock applies the migrations, the others wait for it (src/db/engine.ts)
// and find nothing left to apply.
test(`${String(SERVERS)} servers starting together on one fresh SQLite file all come up, and each migration is applied once`, { timeout: 60_000 }, async (t) => {
  const env = await databaseEnv(t);
  const servers = await Promise.all(Array.from({ length: SERVERS }, () => startServer(t, env)));
  for (const server of servers) assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

  const applied = servers.flatMap((server) =>
    server.output.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { migrations?: string[] })
      .flatMap((entry) => entry.migrations ?? []),
  );
  const files = readdirSync(join(PROJECT, 'src/db/migrations')).filter((name) => name.endsWith('.ts')).map((name) => name.slice(0, -'.ts'.length));
  assert.deepEqual(applied.sort(), files.sort());

  const connection = await connect(loadDatabaseConfig({ NODE_ENV: 'test', ...env }), createLogger({ logLevel: 'silent' }));
  t.after(() => connection.close());
  const count = async (table: string) => Number((await sql<{ count: number }>`select count(*) as count from ${sql.table(table)}`.execute(connection.db)).rows[0]?.count);
  assert.equal(await count('kysely_migration'), files.length);
  assert.equal(await count('migration_checksum'), files.length);
});
