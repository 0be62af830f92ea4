import { spawnSync } from 'node:child_process';
import pg from 'pg';

/**
 * `npm test` for a project on PostgreSQL: the tests need a server to make their schemas in. Checked
 * here once, so that without one the run stops with one line saying how to get one, instead of every
 * test file failing with a stack trace. Then `node --test` runs as usual, with any arguments given.
 */
const HOW = 'start one (see "Database" in docs/OPERATIONS.md), then run: DATABASE_URL=postgres://user:password@127.0.0.1:5432/db npm test';

async function check(url: string | undefined): Promise<string | undefined> {
  if (!url) return `DATABASE_URL is not set: the tests need a PostgreSQL server to run against; ${HOW}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `the PostgreSQL at DATABASE_URL cannot be used (${error instanceof Error ? error.message : String(error)}); ${HOW}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await check(process.env.DATABASE_URL);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const args = process.argv.slice(2);
const { status } = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...(args.length > 0 ? args : ['test/**/*.test.ts'])], {
  stdio: 'inherit',
});
process.exit(status ?? 1);
