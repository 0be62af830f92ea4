// Copies of the generated project's built dist/ with one layer taken out, to find what each costs.
// Each copy lives inside the project (so `express` and friends resolve from its node_modules) and
// starts as the app does (its own copy of server.js), on the database the bench seeded: migrations
// are already applied, and the sessions and users are there, whatever layer the copy lacks.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Removes the line `app.use(<call>);` from app.js. */
const dropUse = (call) => ({ file: 'app.js', from: new RegExp(`^\\s*app\\.use\\(${call.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\);\\n`, 'm'), to: '' });

// Validation swapped for the least a handler needs: `limit` as a number, unchecked (no cursor).
const NO_VALIDATION = {
  file: 'routes/users.js',
  from: 'validate({ query: listUsersQuery })',
  to: "((req, _res, next) => { Object.defineProperty(req, 'query', { value: { limit: Number(req.query.limit ?? 20) }, enumerable: true, configurable: true }); next(); })",
};

const LAYERS = [
  { id: 'no-request-id', label: 'without request id', edits: [dropUse('requestId({ trustIncoming: config.trustRequestId, isProxy })')] },
  { id: 'no-client-address', label: 'without client address pinning', edits: [dropUse('clientAddress()')] },
  { id: 'no-logging', label: 'without JSON request logging', edits: [dropUse('requestLogger(logger)')] },
  { id: 'no-headers', label: 'without security headers (helmet + 3)', edits: [dropUse('securityHeaders()')] },
  { id: 'no-cors', label: 'without CORS policy', edits: [dropUse('corsPolicy(config.cors, app)')] },
  { id: 'no-cross-origin', label: 'without cross-origin refusal (Fetch Metadata, Origin)', edits: [dropUse('refuseCrossOriginRequests(config.cors.origins)')] },
  { id: 'no-host-check', label: 'without the Host allowlist (DNS rebinding)', edits: [dropUse('refuseUnknownHosts(config.allowedHosts)')] },
  { id: 'no-rate-limit', label: 'without global rate limit', edits: [dropUse('globalRateLimit(config.rateLimit.global, limits)')] },
  { id: 'no-json-body', label: 'without JSON body parser', edits: [dropUse('jsonBody(config.bodyLimit)')] },
  { id: 'no-validation', label: 'without zod validation (limit read by hand)', edits: [NO_VALIDATION] },
];

export const VARIANTS = [
  { id: 'all-on', label: 'all layers on (reference)', edits: [] },
  ...LAYERS,
  { id: 'none', label: 'every layer above off (router, sessions, 404, errors only)', edits: LAYERS.flatMap((layer) => layer.edits) },
];

/** Writes the variant's copy of dist/ (once) and returns its folder; it starts from `server.js`. */
export function makeVariant(projectDir, variantsDir, variant) {
  const dir = join(variantsDir, variant.id);
  if (existsSync(dir)) return dir;
  // Source maps left out, but the migrations': the migrator checks each built migration against the
  // source its map holds (src/db/migration-files.ts).
  const migrations = join(projectDir, 'dist', 'db', 'migrations');
  cpSync(join(projectDir, 'dist'), dir, { recursive: true, filter: (source) => !source.endsWith('.map') || source.startsWith(migrations) });
  for (const { file, from, to } of variant.edits) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const edited = text.replace(from, to);
    // The templates changed under the bench: say so rather than measure the wrong thing.
    if (edited === text) throw new Error(`variant ${variant.id}: ${from} not found in dist/${file}`);
    writeFileSync(path, edited);
  }
  return dir;
}
