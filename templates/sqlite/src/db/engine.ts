import { SqliteDialect, type Dialect, type Kysely, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import { ServiceUnavailable, type ServiceHealth } from '../service-health.ts';
import type { Schema } from './schema.ts';
import { openNodeSqlite } from './node-sqlite.ts';

/** SQLite's error codes as node:sqlite reports them (`errcode`, an extended result code). */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

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

  /** The email (or another unique column) is taken. */
  isUniqueViolation(error: unknown): boolean {
    const code = errcodeOf(error);
    return code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY;
  },
};
