import './load-env-file.ts';
import { writeFileSync } from 'node:fs';
import { Kysely } from 'kysely';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { engine } from '../db/engine.ts';
import type { Schema } from '../db/schema.ts';
import { createLogger } from '../log.ts';
import { appDocument } from '../openapi/serve.ts';
import { ServiceHealth } from '../service-health.ts';

/**
 * `npm run openapi [-- <file>]`: writes the OpenAPI 3.1 document (the one GET /openapi.json serves) to
 * openapi.json, for client generators and reviews. It builds the app from the same environment (.env)
 * and never starts it: nothing sends it a request, so the database is never
 * connected (both engines connect on the first query) and the command needs no running service.
 */
async function writeDocument(file: string): Promise<string> {
  // Development's settings: the routes are the same in every environment, and production's required
  // mail settings would be asked for here though no mail is ever sent.
  const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
  const logger = createLogger({ logLevel: 'silent' });
  const health = new ServiceHealth('database', logger);
  const db = new Kysely<Schema>({ dialect: engine.createDialect(config.database, health) });
  const app = createApp(config, { database: { db, health, accountKey: 'unused: no request is served', deviceKey: 'unused: no request is served', close: () => db.destroy() }, logger });
  const document = await appDocument(app);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path the developer gave on the command line
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return `Wrote ${file}: ${String(Object.keys(document.paths as object).length)} paths.`;
}

try {
  process.stdout.write(`${await writeDocument(process.argv[2] ?? 'openapi.json')}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `openapi: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exitCode = 1;
}
