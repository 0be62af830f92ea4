import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import ts from 'typescript';
import { loadDatabaseConfig } from '../src/config.ts';
import { connect } from '../src/db/database.ts';
import type * as DatabaseModule from '../src/db/database.ts';
import type * as MigrateModule from '../src/db/migrate.ts';
import type { MigrateOptions } from '../src/db/migrate.ts';
import { createLogger, type Logger } from '../src/log.ts';
import { databaseEnv } from './helpers.ts';
import { PROJECT, runScript, says, startScript } from './processes.ts';

// Real processes (a dev server restarting, migrations run by commands): generous, for a busy machine.
const OPTIONS = { timeout: 120_000 };
/** What production needs besides the database to get as far as its migrations: mail settings (no mail is sent) and its host names. */
const PRODUCTION_SETTINGS = { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'no-reply@example.com', APP_URL: 'https://app.example.com', ALLOWED_HOSTS: '127.0.0.1' };

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
 * seen by its own processes only, never by the other tests running beside it. Each test's copy is at
 * the same path at every run, so Node's compile cache (which goes by path) serves its processes too.
 */
function projectCopy(t: TestContext): string {
  const id = createHash('sha256').update(`${PROJECT}\n${t.name}`).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `migrations-test-${id}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
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
async function newMigration(dir: string, name: string): Promise<string> {
  const result = await runScript(join(dir, 'node_modules/plop/bin/plop.js'), ['migration', name], {}, dir);
  assert.equal(result.status, 0, result.stderr);
  const file = readdirSync(join(dir, 'src/db/migrations')).find((entry) => entry.endsWith(`_${name}.ts`));
  assert.ok(file, result.stdout);
  return `src/db/migrations/${file}`;
}

/** A migration file as a test writes it, named as new:migration names them. */
function writeMigration(dir: string): string {
  const file = `src/db/migrations/${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_create_migrations_test_table.ts`;
  writeFileSync(join(dir, file), CREATE_TABLE);
  return file;
}

/** `npm run db:migrate` in the copy. */
const migrate = (dir: string, env: Record<string, string>) => runScript('src/commands/migrate.ts', [], env, dir);
/** The copy's server, run to its end (it fails before listening). */
const serverRun = (dir: string, env: Record<string, string>) => runScript('src/server.ts', [], { HOST: '127.0.0.1', PORT: '0', ...env }, dir);

const silent = (): Logger => createLogger({ logLevel: 'silent' });

/**
 * The copy's own database code, loaded into this process: what its `db:migrate` and its server do
 * with their migrations, without starting a process each (the commands and the server are proven to
 * report these errors in one line by test/commands.test.ts and test/startup.test.ts). Node keeps a
 * module once it is imported: a test that rewrites a migration it already loaded runs `migrate`.
 */
async function copyDatabase(dir: string, env: Record<string, string>) {
  const load = <T>(file: string) => import(pathToFileURL(join(dir, file)).href) as Promise<T>;
  const [{ connect: connectCopy, openDatabase }, { migrateToLatest }] = await Promise.all([
    load<typeof DatabaseModule>('src/db/database.ts'),
    load<typeof MigrateModule>('src/db/migrate.ts'),
  ]);
  const config = loadDatabaseConfig({ NODE_ENV: 'test', ...env });
  return {
    /** What `db:migrate` does: the names applied now. */
    async migrate(options: MigrateOptions): Promise<string[]> {
      const connection = await connectCopy(config, silent());
      try {
        return await migrateToLatest(connection.db, options);
      } finally {
        await connection.close();
      }
    },
    /** What the server does before it listens. */
    async open(): Promise<void> {
      const database = await openDatabase(config, silent());
      await database.close();
    },
  };
}

/** The message of the error `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return assert.fail('it was not refused');
}

test('a migration still the empty template of new:migration is applied neither by db:migrate nor at start; filled in, it is', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = { NODE_ENV: 'test', ...(await databaseEnv(t)) };
  const file = await newMigration(dir, 'create_migrations_test_table');
  const unfinished = `fill in ${file} first, then delete its \`export const unfinished\` line; until then no migration is applied`;

  const copy = await copyDatabase(dir, env);
  assert.equal(await refusal(copy.migrate({})), unfinished, 'db:migrate');
  assert.equal(await refusal(copy.open()), unfinished, 'the server, before it listens');

  // Nothing ran, not even the migrations before it: all of them apply now, from the first to this one.
  writeFileSync(join(dir, file), CREATE_TABLE);
  const filled = await migrate(dir, env);
  assert.equal(filled.status, 0, filled.stderr);
  const applied = filled.stdout.trimEnd().split('\n');
  assert.match(applied[0] ?? '', /^applied \d{14}_create_users$/);
  assert.equal(applied.at(-1), `applied ${file.replace(/^src\/db\/migrations\/(.*)\.ts$/, '$1')}`);
});

test('npm run dev running while a migration is made applies it only once filled in, with its body', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = await databaseEnv(t);
  const dev = startScript(t, 'scripts/dev.ts', { env: { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }, cwd: dir, group: true });
  await dev.line(says('listening'));

  // A new migration restarts the dev server, which then finds it empty and applies nothing.
  const file = await newMigration(dir, 'create_migrations_test_table');
  await dev.line((text) => text.startsWith(`Could not open the database: fill in ${file} first`));

  writeFileSync(join(dir, file), CREATE_TABLE);
  await dev.line(says('applied 1 migration(s)'));
  await dev.line(says('listening'));

  // Applied with its body: the table it creates is there, and the migration is recorded as applied.
  const connection = await connect(loadDatabaseConfig({ NODE_ENV: 'test', ...env }), createLogger({ logLevel: 'silent' }));
  t.after(() => connection.close());
  const { rows } = await sql<{ count: number | string }>`select count(*) as count from migrations_test_table`.execute(connection.db);
  assert.equal(Number(rows[0]?.count), 0);
  const recorded = await sql<{ name: string }>`select name from kysely_migration`.execute(connection.db);
  assert.ok(recorded.rows.some((row) => file === `src/db/migrations/${row.name}.ts`));
});

test('an applied migration whose file changed: production refuses to start or migrate, development warns naming it', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = await databaseEnv(t);
  const file = writeMigration(dir);
  const copy = await copyDatabase(dir, env);
  assert.ok((await copy.migrate({})).includes(file.replace(/^src\/db\/migrations\/(.*)\.ts$/, '$1')), 'the migration was applied');
  appendFileSync(join(dir, file), '// A change made after it ran, as if it would run again.\n');
  const changed = `${file} changed after it was applied to this database, so the change will never run here: put it back as it was applied`;

  // NODE_ENV unset, which means production, and production itself: nothing is applied and nothing listens.
  const refused = await migrate(dir, env);
  assert.equal(refused.status, 1);
  assert.ok(refused.stderr.startsWith(`db:migrate: Nothing was applied: ${changed}`), refused.stderr);
  assert.ok(refused.stderr.includes('a new migration (npm run new:migration)'), refused.stderr);
  assert.equal(refused.stderr.split('\n').length, 2, refused.stderr);
  const server = await serverRun(dir, { NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:1', ...PRODUCTION_SETTINGS, ...env });
  assert.equal(server.status, 1);
  assert.ok(server.stderr.startsWith(`Could not open the database: Nothing was applied: ${changed}`), server.stderr);
  assert.doesNotMatch(server.stdout, /listening/);

  // Development: a warning naming the file at every start, and the server goes on to listen.
  const warnings: string[] = [];
  assert.deepEqual(await copy.migrate({ changedFiles: 'warn', warn: (message) => warnings.push(message) }), []);
  assert.equal(warnings.length, 1);
  assert.ok(warnings[0]?.startsWith(changed), warnings[0]);
  const development = startScript(t, 'src/server.ts', { env: { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }, cwd: dir });
  const warning = JSON.parse(await development.line((text) => text.includes('"level":40'))) as { msg: string };
  assert.ok(warning.msg.startsWith(changed), warning.msg);
  await development.logged('listening');
});

/**
 * What `npm run build` makes of a migration: its JavaScript beside a source map that keeps its source
 * (tsconfig.build.json's settings), in place of the TypeScript file. The migration alone is compiled,
 * not the whole project: that is the file the fingerprint is taken from.
 */
function buildMigration(dir: string, file: string): void {
  const { config } = ts.readConfigFile(join(dir, 'tsconfig.build.json'), (path) => ts.sys.readFile(path)) as { config: unknown };
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, dir);
  const source = join(dir, file);
  // tsc reads `"type": "module"` in package.json to emit ES modules; a single file is told so.
  const built = ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: { ...options, module: ts.ModuleKind.ESNext }, fileName: source });
  const javascript = source.replace(/\.ts$/, '.js');
  writeFileSync(javascript, built.outputText);
  writeFileSync(`${javascript}.map`, built.sourceMapText ?? '');
  unlinkSync(source);
}

test('built code checks the same fingerprints: from the source its source maps keep', OPTIONS, async (t) => {
  const dir = projectCopy(t);
  const env = await databaseEnv(t);
  const file = writeMigration(dir);
  const copy = await copyDatabase(dir, env);
  // Applied from src/ (a deploy step), then checked from what the build makes of it: the same source.
  assert.ok((await copy.migrate({ changedFiles: 'refuse' })).includes(file.replace(/^src\/db\/migrations\/(.*)\.ts$/, '$1')));
  const source = readFileSync(join(dir, file), 'utf8');
  buildMigration(dir, file);
  assert.deepEqual(await copy.migrate({ changedFiles: 'refuse' }), []);

  writeFileSync(join(dir, file), `${source}// A change made after it ran.\n`);
  buildMigration(dir, file);
  assert.ok((await refusal(copy.migrate({ changedFiles: 'refuse' }))).startsWith(`Nothing was applied: ${file} changed after it was applied`));
});
