import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { loadDatabaseConfig } from '../src/config.ts';
import { connect } from '../src/db/database.ts';
import { createLogger } from '../src/log.ts';
import { databaseEnv } from './helpers.ts';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
// Real processes (a dev server restarting, migrations run by commands): generous, for a busy machine.
const OPTIONS = { timeout: 120_000 };
/** What production needs besides the database to get as far as its migrations: mail settings (no mail is sent). */
const PRODUCTION_MAIL = { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'no-reply@example.com', APP_URL: 'https://app.example.com' };

/**
 * What a filled-in migration looks like: a table the test then finds, named so that no table or
 * migration of the project's own (new:route's `notes`, say) is in its way.
 */
const CREATE_TABLE = `import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('migrations_test_table').addColumn('id', 'text', (column) => column.primaryKey()).execute();
}
`;

/**
 * A copy of the project's code with its node_modules linked in: the migrations a test adds there are
 * seen by its own processes only, never by the other tests running beside it.
 */
function projectCopy(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'plopfile.js', 'plop-templates', 'scripts', 'src']) {
    cpSync(join(PROJECT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(PROJECT, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

/** `npm run new:migration -- <name>` in the copy; returns the new file's path inside the project. */
function newMigration(dir: string, name: string): string {
  const result = spawnSync(process.execPath, [join(dir, 'node_modules/plop/bin/plop.js'), 'migration', name], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  const file = readdirSync(join(dir, 'src/db/migrations')).find((entry) => entry.endsWith(`_${name}.ts`));
  assert.ok(file, result.stdout);
  return `src/db/migrations/${file}`;
}

function run(dir: string, script: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [join(dir, script)], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** The copy's server (or `npm run dev`) as a process; `line(pattern)` waits for a line of its output. */
function start(t: TestContext, dir: string, script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(dir, script)], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { pid } = child;
  if (pid === undefined) throw new Error('the process did not start');
  t.after(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const wake of waiting) wake();
    });
  }
  const exited = once(child, 'exit');
  let seen = 0;
  /** The next line from here on that `matches`. */
  const line = async (matches: (text: string) => boolean): Promise<string> => {
    for (;;) {
      const index = lines.findIndex((text, i) => i >= seen && matches(text));
      if (index >= 0) {
        seen = index + 1;
        return lines[index] ?? '';
      }
      await Promise.race([
        new Promise<void>((resolve) => waiting.add(resolve)),
        exited.then(() => Promise.reject(new Error(`exited before the line awaited:\n${lines.join('\n')}`))),
      ]);
      waiting.clear();
    }
  };
  return { line, lines, exited, stop: () => process.kill(-pid, 'SIGINT') };
}

const says = (message: string) => (text: string) => text.includes(`"msg":"${message}"`);

test('a migration still the empty template of new:migration is applied neither by db:migrate nor at start; filled in, it is', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = { NODE_ENV: 'test', ...(await databaseEnv(t)) };
  const file = newMigration(dir, 'create_migrations_test_table');
  const refusal = `fill in ${file} first, then delete its \`export const unfinished\` line; until then no migration is applied`;

  const migrate = run(dir, 'src/commands/migrate.ts', env);
  assert.equal(migrate.status, 1);
  assert.equal(migrate.stdout, '');
  assert.equal(migrate.stderr, `db:migrate: ${refusal}\n`);

  const server = run(dir, 'src/server.ts', env);
  assert.equal(server.status, 1);
  assert.equal(server.stderr, `Could not open the database: ${refusal}\n`);
  assert.doesNotMatch(server.stdout, /listening/);

  // Nothing ran, not even the migrations before it: all of them apply now, from the first to this one.
  writeFileSync(join(dir, file), CREATE_TABLE);
  const filled = run(dir, 'src/commands/migrate.ts', env);
  assert.equal(filled.status, 0, filled.stderr);
  const applied = filled.stdout.trimEnd().split('\n');
  assert.match(applied[0] ?? '', /^applied \d{14}_create_users$/);
  assert.equal(applied.at(-1), `applied ${file.replace(/^src\/db\/migrations\/(.*)\.ts$/, '$1')}`);
});

test('npm run dev running while a migration is made applies it only once filled in, with its body', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = await databaseEnv(t);
  const dev = start(t, dir, 'scripts/dev.ts', env);
  await dev.line(says('listening'));

  const file = newMigration(dir, 'create_migrations_test_table');
  // Any saved source file restarts the dev server, which then finds the new, empty migration.
  const routes = join(dir, 'src/routes/index.ts');
  writeFileSync(routes, readFileSync(routes));
  await dev.line((text) => text.startsWith(`Could not open the database: fill in ${file} first`));

  writeFileSync(join(dir, file), CREATE_TABLE);
  await dev.line(says('applied 1 migration(s)'));
  await dev.line(says('listening'));
  dev.stop();
  await dev.exited;

  // Applied with its body: the table it creates is there, and nothing is left to apply.
  const migrate = run(dir, 'src/commands/migrate.ts', { NODE_ENV: 'test', ...env });
  assert.equal(migrate.stdout, 'The database is up to date.\n', migrate.stderr);
  const connection = await connect(loadDatabaseConfig({ NODE_ENV: 'test', ...env }), createLogger({ logLevel: 'silent' }));
  t.after(() => connection.close());
  const { rows } = await sql<{ count: number | string }>`select count(*) as count from migrations_test_table`.execute(connection.db);
  assert.equal(Number(rows[0]?.count), 0);
});

test('an applied migration whose file changed: production refuses to start or migrate, development warns naming it', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = await databaseEnv(t);
  const file = `src/db/migrations/${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_create_migrations_test_table.ts`;
  writeFileSync(join(dir, file), CREATE_TABLE);
  assert.equal(run(dir, 'src/commands/migrate.ts', { NODE_ENV: 'test', ...env }).status, 0);
  appendFileSync(join(dir, file), "// A change made after it ran, as if it would run again.\n");
  const changed = `${file} changed after it was applied to this database, so the change will never run here: put it back as it was applied`;

  // Production, and NODE_ENV unset, which means production: nothing is applied and nothing listens.
  for (const production of [{ NODE_ENV: 'production' }, {}]) {
    const migrate = run(dir, 'src/commands/migrate.ts', { ...production, ...env });
    assert.equal(migrate.status, 1);
    assert.ok(migrate.stderr.startsWith(`db:migrate: Nothing was applied: ${changed}`), migrate.stderr);
    assert.ok(migrate.stderr.includes('a new migration (npm run new:migration)'), migrate.stderr);
    assert.equal(migrate.stderr.split('\n').length, 2, migrate.stderr);
  }
  const server = run(dir, 'src/server.ts', { NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:1', ...PRODUCTION_MAIL, ...env });
  assert.equal(server.status, 1);
  assert.ok(server.stderr.startsWith(`Could not open the database: Nothing was applied: ${changed}`), server.stderr);
  assert.doesNotMatch(server.stdout, /listening/);

  // Development: a warning naming the file at every start, and the server runs.
  const migrate = run(dir, 'src/commands/migrate.ts', { NODE_ENV: 'development', ...env });
  assert.equal(migrate.status, 0);
  assert.ok(migrate.stderr.startsWith(`warning: ${changed}`), migrate.stderr);
  assert.equal(migrate.stdout, 'The database is up to date.\n');
  const development = start(t, dir, 'src/server.ts', { NODE_ENV: 'development', ...env });
  const warning = JSON.parse(await development.line((text) => text.includes('"level":40'))) as { msg: string };
  assert.ok(warning.msg.startsWith(changed), warning.msg);
  await development.line(says('listening'));
});

test('built code checks the same fingerprints: from the source its source maps keep', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = { NODE_ENV: 'production', ...(await databaseEnv(t)) };
  const file = `src/db/migrations/${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_create_migrations_test_table.ts`;
  writeFileSync(join(dir, file), CREATE_TABLE);
  const build = () => {
    const result = spawnSync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stdout);
  };
  // Applied from src/ (a deploy step), then checked by the build: the same source, so all is well.
  assert.equal(run(dir, 'src/commands/migrate.ts', env).status, 0);
  build();
  const built = run(dir, 'dist/commands/migrate.js', env);
  assert.equal(built.stdout, 'The database is up to date.\n', built.stderr);

  appendFileSync(join(dir, file), '// A change made after it ran.\n');
  build();
  const changed = run(dir, 'dist/commands/migrate.js', env);
  assert.equal(changed.status, 1);
  assert.ok(changed.stderr.startsWith(`db:migrate: Nothing was applied: ${file} changed after it was applied`), changed.stderr);
});
