import { PostgresDialect, sql, type Dialect, type Kysely, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg, { type CustomTypesConfig } from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { ServiceUnavailable, type ServiceHealth } from '../service-health.ts';
import type { Schema } from './schema.ts';

/**
 * Errors that mean PostgreSQL cannot be reached or cannot serve right now, rather than a problem with
 * the query: network failures, the server shutting down or refusing connections (class 08 and 57P0x),
 * too many connections, and a statement cancelled by DATABASE_STATEMENT_TIMEOUT_MS.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  '08000', '08001', '08003', '08004', '08006', '53300', '57014', '57P01', '57P02', '57P03',
]);

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return UNAVAILABLE_CODES.has(code);
  // The driver's own messages when a connection drops or cannot be made in time.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(error.message);
}

/** How long one connection attempt, and start-up's wait for the first one, may take. */
const CONNECT_TIMEOUT_MS = 5_000;
const STARTUP_WAIT_MS = 15_000;

/** BIGINT arrives as a string by default; the times stored in it are far below 2^53. */
const types: CustomTypesConfig = {
  getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as (value: string) => unknown,
};

/**
 * The pool Kysely draws connections from, with every failure to reach PostgreSQL turned into a
 * ServiceUnavailable (a 503 with Retry-After) and reported to the database's health, and every
 * success reported too, so an outage is logged once when it starts and once when it ends.
 */
const pickProcessId = (client: pg.PoolClient): { processID?: number } => {
  const { processID } = client as { processID?: number };
  return processID === undefined ? {} : { processID };
};

function guardedPool(pool: pg.Pool, health: ServiceHealth): PostgresPool {
  const unavailable = (error: unknown) => {
    health.failed(error);
    return new ServiceUnavailable(error);
  };
  // One guard per pooled connection, kept while the connection lives: Kysely keys its own state by it.
  const guards = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const guard = (client: pg.PoolClient): PostgresPoolClient => ({
    query: (async (...args: unknown[]) => {
      try {
        const result: unknown = await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
        health.succeeded();
        return result;
      } catch (error) {
        throw isUnavailable(error) ? unavailable(error) : error;
      }
    }) as PostgresPoolClient['query'],
    release: (destroy?: boolean) => {
      client.release(destroy);
    },
    // Kysely cancels an aborted query by this backend id (undocumented in pg, hence the cast).
    ...pickProcessId(client),
  });
  return {
    options: pool.options,
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw unavailable(error);
      }
      let guarded = guards.get(client);
      if (!guarded) {
        guarded = guard(client);
        guards.set(client, guarded);
        // The pool listens for errors only while a connection is idle in it. One that drops while a
        // query runs on it emits 'error' too, and without this listener that would end the process.
        client.on('error', (error) => {
          health.failed(error);
        });
      }
      return guarded;
    },
    end: () => pool.end(),
  };
}

/** The PostgreSQL specifics behind src/db/database.ts: a pool per instance, any number of instances. */
export const engine = {
  /** PostgreSQL may still be starting (a fresh container, a failover): wait this long for it. */
  startupWaitMs: STARTUP_WAIT_MS,

  createDialect(config: DatabaseConfig, health: ServiceHealth): Dialect {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize,
      // Enforced by the server on every statement of every connection: a slow query cannot hold a
      // connection, and with it a request, for longer.
      statement_timeout: config.statementTimeoutMs,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      types,
    });
    // An idle connection that drops (PostgreSQL restarted) is an event, not a thrown error: without
    // this listener it would end the process.
    pool.on('error', (error) => {
      health.failed(error);
    });
    return new PostgresDialect({ pool: guardedPool(pool, health) });
  },

  /**
   * The schema the migrations' own tables go in: the one the app's tables are created in (the first of
   * the search_path, `public` unless set). Named explicitly, or Kysely would take another schema's
   * migration tables (another app's, in a shared database) for this one's.
   */
  async migrationTableSchema(db: Kysely<Schema>): Promise<string | undefined> {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    return rows[0]?.schema ?? undefined;
  },

  /**
   * Runs `work` on one connection with DATABASE_STATEMENT_TIMEOUT_MS lifted. That limit is for requests;
   * a migration may rightly run longer (an index on a large table), and an instance starting while
   * another applies one waits for Kysely's migration lock in a single statement. The connection goes
   * back to the pool with its limit restored: RESET returns to the value the pool connected with.
   */
  withoutStatementTimeout<T>(db: Kysely<Schema>, work: (connection: Kysely<Schema>) => Promise<T>): Promise<T> {
    return db.connection().execute(async (connection) => {
      await sql`set statement_timeout = 0`.execute(connection);
      try {
        return await work(connection);
      } finally {
        await sql`reset statement_timeout`.execute(connection);
      }
    });
  },

  /**
   * Kysely's migrator locks on PostgreSQL itself (a row lock in kysely_migration_lock), so instances
   * starting together wait for each other (test/concurrent-migrations.test.ts): nothing to add.
   */
  withMigrationLock: <T>(db: Kysely<Schema>, work: (connection: Kysely<Schema>) => Promise<T>): Promise<T> => work(db),

  /** The email (or another unique column) is taken. */
  isUniqueViolation(error: unknown): boolean {
    return error instanceof Error && (error as { code?: unknown }).code === '23505';
  },
};
