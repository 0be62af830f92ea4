/**
 * Every dependency version a generated project's package.json uses, in one table, as the ranges that
 * land in the file. Keep them at the current majors' latest releases (`npm view <name> version`).
 *
 * Each entry is attack surface and install time for every project we generate: add one only when the
 * platform (Node 22.18+/24 strip types and run tests on their own) cannot do the job.
 */
export const projectVersions = {
  // Runtime
  cors: '^2.8.6',
  express: '^5.3.0',
  'express-rate-limit': '^8.7.5',
  helmet: '^8.3.0',
  // The query layer over both databases: typed, SQL-first, no dependencies of its own, with a
  // migrator. SQLite needs no driver package: node:sqlite is built into Node 22.18+ and 24.
  kysely: '^0.29.9',
  // Mail over SMTP (src/mail/smtp-transport.ts): the maintained standard, no dependencies of its own,
  // ships its types. Production sends verification and reset mails through it.
  nodemailer: '^10.6.1',
  pino: '^10.4.0',
  zod: '^4.6.7',
  // The most common passwords, ranked, from zxcvbn-ts (src/auth/password-policy.ts): MIT, maintained,
  // and the only maintained list found that holds the common ones of 12 characters and more
  // (`password1234`); its one dependency decompresses the list.
  '@zxcvbn-ts/language-common': '^4.1.3',

  // Runtime, with `--db postgres` only: the PostgreSQL driver Kysely's PostgresDialect runs on.
  pg: '^8.23.1',

  // Runtime, with `--rate-limit-store redis` only (see package-json.ts).
  // node-redis's client package: `redis` is the same client plus four Redis Stack module packages the
  // project never uses. Chosen over ioredis, whose own README recommends node-redis for new projects,
  // because it can fail fast while disconnected (`disableOfflineQueue`: commands are refused at once
  // instead of queued until Redis is back), reconnects on its own with a back-off we choose, and bounds
  // each connection attempt (`connectTimeout`): the rate limiters' failure rules rely on all three.
  '@redis/client': '^6.3.1',
  // The express-rate-limit store for Redis, from the same maintainers; one Lua script per count.
  'rate-limit-redis': '^6.0.1',

  // Development
  '@eslint/js': '^10.0.1',
  // The generated tests validate openapi.json against the OpenAPI 3.1 schema with it.
  '@seriousme/openapi-schema-validator': '^2.11.0',
  // The generated tests check responses against the document's JSON Schemas (draft 2020-12) with them.
  ajv: '^8.20.0',
  'ajv-formats': '^3.0.1',
  // Follows the Node major the project targets, so the types only offer what that runtime has.
  '@types/node': { 22: '^22.20.5', 24: '^24.19.4' },
  '@types/cors': '^2.8.19',
  '@types/express': '^5.0.6',
  '@types/pg': '^8.23.1',
  eslint: '^10.15.0',
  // Declares no peer range and uses ESLint's current rule API, so it runs on ESLint 10.
  'eslint-plugin-security': '^4.1.0',
  plop: '^4.0.5',
  // A real SMTP server in-process for the mail tests (test/mail-server.ts), by nodemailer's authors;
  // ships its types.
  'smtp-server': '^3.21.6',
  // The development documentation page (/docs, never in production): Swagger UI's built files, served
  // from node_modules, no CDN.
  'swagger-ui-dist': '^5.35.0',
  // typescript-eslint 8 supports TypeScript >=4.8.4 <6.1.0, so the project stays on TypeScript 6.0.x
  // (a tilde range) until typescript-eslint supports a newer one.
  typescript: '~6.0.3',
  'typescript-eslint': '^8.74.0',
} as const;
