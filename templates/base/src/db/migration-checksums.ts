import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

/**
 * The SHA-256 of each migration's source as it was when applied, in a table of ours beside Kysely's
 * own (`kysely_migration`), so a file edited after it ran is noticed instead of silently never running.
 */
const TABLE = 'migration_checksum';

interface ChecksumTables {
  [TABLE]: { name: string; sha256: string };
}

/** The table, in the schema Kysely's tables are in (PostgreSQL), made the first time it is needed. */
async function checksumTable(db: Kysely<Schema>, schema: string | undefined): Promise<Kysely<ChecksumTables>> {
  const scoped = (schema === undefined ? db : db.withSchema(schema)) as unknown as Kysely<ChecksumTables>;
  try {
    await scoped.schema
      .createTable(TABLE)
      .ifNotExists()
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('sha256', 'text', (column) => column.notNull())
      .execute();
  } catch (error) {
    // Two instances starting together may both create it (PostgreSQL's `if not exists` can still race):
    // one wins, and the table is there for the other.
    await scoped.selectFrom(TABLE).select('name').limit(1).execute().catch(() => {
      throw error;
    });
  }
  return scoped;
}

/** The checksum recorded for each applied migration, by name. */
export async function readChecksums(db: Kysely<Schema>, schema: string | undefined): Promise<Map<string, string>> {
  const rows = await (await checksumTable(db, schema)).selectFrom(TABLE).select(['name', 'sha256']).execute();
  return new Map(rows.map((row) => [row.name, row.sha256]));
}

/** Records checksums for migrations that have none yet; one already recorded is never overwritten. */
export async function recordChecksums(db: Kysely<Schema>, schema: string | undefined, checksums: readonly { name: string; sha256: string }[]): Promise<void> {
  if (checksums.length === 0) return;
  await (await checksumTable(db, schema))
    .insertInto(TABLE)
    .values(checksums.map(({ name, sha256 }) => ({ name, sha256 })))
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
}
