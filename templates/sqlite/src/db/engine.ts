import { sql, SqliteDialect, type Dialect, type Kysely, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import { ServiceUnavailable, type ServiceHealth } from '../service-health.ts';
import type { Schema } from './schema.ts';
import { openNodeSqlite } from './node-sqlite.ts';

/** SQLite's error codes as node:sqlite reports them (`errcode`, an extended result code). */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/** How long a starting process waits for another one's migrations to finish before it gives up. */
const MIGRATION_LOCK_WAIT_MS = 60_000;

const errcodeOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'errcode' in error && typeof error.errcode === 'number' ? error.errcode : undefined;

/**
 * Every call to SQLite goes through here: a database locked for longer than the busy timeout is a 503
 * (try again), not a 500, and reports the database down until the next statement succeeds.
 */
export function guarded(database: SqliteDatabase, health: ServiceHealth): SqliteDatabase {
  const call = <T>(work: () => T): T => {
    try {
      const result = work();
      health.succeeded();
      return result;
    } catch (error) {
      const primary = (errcodeOf(error) ?? 0) & 0xff;
      if (primary !== SQLITE_BUSY && primary !== SQLITE_LOCKED) throw error;
      health.failed(error);
      throw new ServiceUnavailable(error);
    }
  };
  // The database hands out the same statement for the same SQL (node-sqlite.ts): its guard is made once too.
  const guards = new WeakMap<SqliteStatement, SqliteStatement>();
  const guard = (statement: SqliteStatement): SqliteStatement => ({
    reader: statement.reader,
    all: (parameters) => call(() => statement.all(parameters)),
    run: (parameters) => call(() => statement.run(parameters)),
    iterate: (parameters) => call(() => statement.iterate(parameters)),
  });
  return {
    prepare(sql) {
      const statement = call(() => database.prepare(sql));
      let guarded = guards.get(statement);
      if (guarded === undefined) {
        guarded = guard(statement);
        guards.set(statement, guarded);
      }
      return guarded;
    },
    close: () => {
      database.close();
    },
  };
}

/** The SQLite specifics behind src/db/database.ts: one file, one process. */
export const engine = {
  /** A local file is there at once: nothing to wait for. */
  startupWaitMs: 0,

  createDialect(config: DatabaseConfig, health: ServiceHealth): Dialect {
    // Opened on the first query, so a bad path fails inside openDatabase with its message.
    return new SqliteDialect({ database: () => Promise.resolve(guarded(openNodeSqlite(config.path), health)) });
  },

  /** SQLite has no schemas: the migrations' own tables sit beside the others. */
  migrationTableSchema: (_db: Kysely<Schema>): Promise<string | undefined> => Promise.resolve(undefined),

  /** SQLite has no statement timeout to lift. */
  withoutStatementTimeout: <T>(db: Kysely<Schema>, work: (connection: Kysely<Schema>) => Promise<T>): Promise<T> => work(db),

  /**
   * Kysely takes no lock between processes on SQLite (its adapter's lock is a no-op) and applies each
   * migration outside any transaction, so two processes starting together on one file would both find a
   * migration pending and both run it: the second fails with "table already exists" and does not start
   * (test/concurrent-migrations.test.ts). Here the whole of `work` is one `BEGIN IMMEDIATE` transaction:
   * SQLite's write lock is taken before anything is read, the next process waits for it (up to
   * MIGRATION_LOCK_WAIT_MS) and then finds nothing left to apply. A failed migration also leaves nothing
   * half done. The price: a migration cannot change `PRAGMA foreign_keys`, which is ignored inside a
   * transaction.
   */
  async withMigrationLock<T>(db: Kysely<Schema>, work: (connection: Kysely<Schema>) => Promise<T>): Promise<T> {
    return db.connection().execute(async (connection) => {
      const [setting] = (await sql<{ timeout: number }>`pragma busy_timeout`.execute(connection)).rows;
      await sql.raw(`pragma busy_timeout = ${String(MIGRATION_LOCK_WAIT_MS)}`).execute(connection);
      try {
        await sql`begin immediate`.execute(connection);
      } finally {
        await sql.raw(`pragma busy_timeout = ${String(setting?.timeout ?? 0)}`).execute(connection);
      }
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        // Some errors end the transaction themselves: the one to report is the migration's, not rollback's.
        await sql`rollback`.execute(connection).catch(() => undefined);
        throw error;
      }
    });
  },

  /** The email (or another unique column) is taken. */
  isUniqueViolation(error: unknown): boolean {
    const code = errcodeOf(error);
    return code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY;
  },
};
