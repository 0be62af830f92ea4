import { PostgresDialect, type Dialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { ServiceUnavailable, type ServiceHealth } from '../service-health.ts';

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

/** BIGINT (oid 20) arrives as a string by default; the times stored in it are far below 2^53. */
const BIGINT_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === BIGINT_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * The pool Kysely draws connections from, with every failure to reach PostgreSQL turned into a
 * ServiceUnavailable (a 503 with Retry-After) and reported to the database's health, and every
 * success reported too, so an outage is logged once when it starts and once when it ends.
 */
function guardedPool(pool: pg.Pool, health: ServiceHealth): PostgresPool {
  const unavailable = (error: unknown) => {
    health.failed(error);
    return new ServiceUnavailable(error);
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw unavailable(error);
      }
      return {
        query: (async (...args: Parameters<pg.PoolClient['query']>) => {
          try {
            const result = await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
            health.succeeded();
            return result;
          } catch (error) {
            throw isUnavailable(error) ? unavailable(error) : error;
          }
        }) as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          client.release(destroy);
        },
      };
    },
    end: () => pool.end(),
  };
}

/** The PostgreSQL specifics behind src/db/database.ts: a pool per instance, any number of instances. */
export const engine = {
  name: 'PostgreSQL',
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

  /** The email (or another unique column) is taken. */
  isUniqueViolation(error: unknown): boolean {
    return error instanceof Error && (error as { code?: unknown }).code === '23505';
  },
};
