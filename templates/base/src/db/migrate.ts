import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { engine } from './engine.ts';
import { readChecksums, recordChecksums } from './migration-checksums.ts';
import { readMigrationFiles, type MigrationFile } from './migration-files.ts';
import type { Schema } from './schema.ts';

/** A migration failed, or the migrations could not run: the message is one line for the operator. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrateOptions {
  /**
   * What to do when a migration's file changed after it was applied here. Production refuses: the
   * database no longer matches the code that describes it. Elsewhere it is reported through `warn`.
   * As src/config.ts reads NODE_ENV: unset means production.
   */
  readonly changedFiles?: 'refuse' | 'warn';
  readonly warn?: (message: string) => void;
}

const WHAT_TO_DO =
  'put it back as it was applied (git diff shows the edit) and make the change in a new migration (npm run new:migration); ' +
  'on a development database you can lose, delete the database instead';

function changedMessage(file: MigrationFile): string {
  return `${file.source} changed after it was applied to this database, so the change will never run here: ${WHAT_TO_DO}.`;
}

/**
 * Applies the migrations not applied yet, in a transaction, and without DATABASE_STATEMENT_TIMEOUT_MS
 * (a migration may rightly run longer than a request). Processes starting together wait for each
 * other's migrations (Kysely's lock on PostgreSQL, SQLite's write lock on SQLite: src/db/engine.ts), so
 * none runs one twice (test/concurrent-migrations.test.ts). Returns the names applied now: none when up
 * to date.
 *
 * Two mistakes are caught before anything runs: a file still the empty template of `npm run
 * new:migration` is refused (a running `npm run dev` would otherwise apply it empty, and the body
 * written afterwards would never run), and an applied file that changed since is reported or refused.
 */
export function migrateToLatest(db: Kysely<Schema>, options: MigrateOptions = {}): Promise<string[]> {
  return engine.withoutStatementTimeout(db, (connection) => engine.withMigrationLock(connection, (locked) => applyPending(locked, options)));
}

async function applyPending(
  db: Kysely<Schema>,
  { changedFiles = (process.env.NODE_ENV ?? 'production') === 'production' ? 'refuse' : 'warn', warn = () => undefined }: MigrateOptions,
): Promise<string[]> {
  const schema = await engine.migrationTableSchema(db);
  const files = await readMigrationFiles();
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(Object.fromEntries(files.map((file) => [file.name, file.migration]))) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });

  const applied = new Set((await migrator.getMigrations()).filter((info) => info.executedAt !== undefined).map((info) => info.name));
  const unfinished = files.find((file) => file.unfinished && !applied.has(file.name));
  if (unfinished) {
    throw new MigrationError(`fill in ${unfinished.source} first, then delete its \`export const unfinished\` line; until then no migration is applied`);
  }
  const checksums = await readChecksums(db, schema);
  const changed = files.filter((file) => applied.has(file.name) && (checksums.get(file.name) ?? file.sha256) !== file.sha256);
  if (changed.length > 0 && changedFiles === 'refuse') {
    throw new MigrationError(`Nothing was applied: ${changed.map(changedMessage).join(' ')}`);
  }
  for (const file of changed) warn(changedMessage(file));

  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(
      failed ? `Migration ${failed.migrationName} failed: ${reason}` : `Migrations could not run: ${reason}`,
      { cause: error },
    );
  }
  const appliedNow = results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  // Recorded for what is applied now, and for what ran before checksums were kept (the file as it is).
  const done = new Set([...applied, ...appliedNow]);
  await recordChecksums(db, schema, files.filter((file) => done.has(file.name) && !checksums.has(file.name)));
  return appliedNow;
}
