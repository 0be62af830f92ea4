import './load-env-file.ts';
import { ConfigError, loadDatabaseConfig } from '../config.ts';
import { connect, failureReason } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../log.ts';

/**
 * `npm run db:migrate`: applies the migrations not applied yet to the configured database (the same
 * DATABASE_* variables as the server; `.env` is read if present) and names them. The server does the
 * same at start; this is for deploy pipelines that migrate first, and for trying a new migration.
 * A failure is one line on stderr and exit code 1: among them an unfinished migration, and, when
 * NODE_ENV is production or unset, an applied migration whose file changed (elsewhere a warning).
 */
try {
  const connection = await connect(loadDatabaseConfig(), createLogger({ logLevel: 'silent' }));
  try {
    const applied = await migrateToLatest(connection.db, { warn: (message) => process.stderr.write(`warning: ${message}\n`) });
    process.stdout.write(applied.length === 0 ? 'The database is up to date.\n' : applied.map((name) => `applied ${name}\n`).join(''));
  } finally {
    await connection.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `db:migrate: ${failureReason(error)}`}\n`);
  process.exitCode = 1;
}
