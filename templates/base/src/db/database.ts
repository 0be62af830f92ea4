import { Kysely, sql } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { ServiceHealth, ServiceUnavailable } from '../service-health.ts';
import { engine } from './engine.ts';
import { migrateToLatest } from './migrate.ts';
import type { Schema } from './schema.ts';

export interface Connection {
  readonly db: Kysely<Schema>;
  /** Up or down, as the last query or check found it; reported by /readyz. */
  readonly health: ServiceHealth;
  close(): Promise<void>;
}

export interface Database extends Connection {
  /** The key that turns an email into an account hash (src/auth/account-hash.ts). */
  readonly accountKey: string;
  /** The key that signs device proofs (src/auth/device-proof.ts). */
  readonly deviceKey: string;
}

/** Why opening or migrating the database failed, in one line for the operator (never shown to clients). */
export function failureReason(error: unknown): string {
  const reason = error instanceof ServiceUnavailable ? error.cause : error;
  return reason instanceof Error ? reason.message : String(reason);
}

/** Tries `select 1` until it answers or `timeoutMs` has passed, so a database still starting up is waited for. */
async function firstAnswer(db: Kysely<Schema>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      await sql`select 1`.execute(db);
      return;
    } catch (error) {
      if (Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export interface ConnectOptions {
  /** How long to wait for a database that is still starting up; the engine's own default otherwise. */
  readonly startupWaitMs?: number;
}

/** Connects, waiting a bounded time for a database that is still starting up. */
export async function connect(config: DatabaseConfig, logger: Logger, { startupWaitMs = engine.startupWaitMs }: ConnectOptions = {}): Promise<Connection> {
  const health = new ServiceHealth('database', logger);
  const db = new Kysely<Schema>({ dialect: engine.createDialect(config, health) });
  try {
    await firstAnswer(db, startupWaitMs);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  return {
    db,
    health,
    async close() {
      health.stopWatching();
      await db.destroy();
    },
  };
}

/**
 * A migrated connection made ready to serve: the shared settings read (the keys the migrations made),
 * and its health watched from now on. Closes the connection when it fails.
 */
export async function servingDatabase(connection: Connection): Promise<Database> {
  try {
    const setting = async (name: string) =>
      (await connection.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
    const accountKey = await setting('account_hash_key');
    const deviceKey = await setting('device_proof_key');
    connection.health.watch(() => sql`select 1`.execute(connection.db));
    return { ...connection, accountKey, deviceKey };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/**
 * What the server opens before it listens: the connection, every pending migration applied, and the
 * shared settings read. Anything that fails here stops the start with one line (src/server.ts).
 */
export async function openDatabase(config: DatabaseConfig, logger: Logger, options: ConnectOptions = {}): Promise<Database> {
  const connection = await connect(config, logger, options);
  try {
    const applied = await migrateToLatest(connection.db, {
      warn: (message) => {
        logger.warn(message);
      },
    });
    if (applied.length > 0) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`);
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  return servingDatabase(connection);
}
