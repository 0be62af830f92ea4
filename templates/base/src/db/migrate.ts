import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { engine } from './engine.ts';
import type { Schema } from './schema.ts';

/** A migration failed, or the migrations could not run: the message is one line for the operator. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('migrations/', import.meta.url));

/**
 * Every file in src/db/migrations (dist/db/migrations once built), in name order: names start with a
 * timestamp (`npm run new:migration`), so the order is the order they were written in. Imported by
 * file URL, which works on every platform, where a bare Windows path would not.
 */
const migrationFiles: MigrationProvider = {
  async getMigrations() {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own folder, not input
    const names = (await readdir(MIGRATIONS_FOLDER)).filter((name) => /^[^.].*(?<!\.d)\.(ts|js)$/.test(name)).sort();
    const migrations: Record<string, Migration> = {};
    for (const name of names) {
      migrations[name.replace(/\.(ts|js)$/, '')] = (await import(pathToFileURL(join(MIGRATIONS_FOLDER, name)).href)) as Migration;
    }
    return migrations;
  },
};

/**
 * Applies the migrations not applied yet, each in its own transaction where the database allows it,
 * under Kysely's migration lock, so instances starting together never run one twice. Returns the
 * names applied now: none when the database is up to date.
 */
export async function migrateToLatest(db: Kysely<Schema>): Promise<string[]> {
  const schema = await engine.migrationTableSchema(db);
  const migrator = new Migrator({ db, provider: migrationFiles, ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(
      failed ? `Migration ${failed.migrationName} failed: ${reason}` : `Migrations could not run: ${reason}`,
      { cause: error },
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
