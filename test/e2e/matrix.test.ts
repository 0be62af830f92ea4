import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { PostgresServer } from '../support/postgres.ts';
import { mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';
import { RedisServer } from '../support/redis.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

/**
 * The answer sets CI builds end to end: each is generated from the packed CLI, installed, typechecked,
 * linted, tested (against a real PostgreSQL and Redis where it uses them), built, started in
 * production mode and checked over HTTP, then stopped with SIGTERM. Together with test/e2e/redis.test.ts
 * they cover every database and rate-limit store pair (redis with SQLite is refused) on Node 22 and 24,
 * and each session transport on each database and Node version.
 */
const ANSWER_SETS: readonly { name: string; args: readonly string[]; node: 22 | 24; newRoute?: boolean }[] = [
  { name: 'the defaults: SQLite, bearer sessions', args: [], node: 24, newRoute: true },
  {
    name: 'SQLite, cookie sessions, production origins, on Node 22',
    args: ['--session', 'cookie', '--origins', 'https://app.example.com,https://admin.example.com', '--node', '22'],
    node: 22,
  },
  { name: 'PostgreSQL, bearer sessions, strict tier behind one proxy hop, on Node 22', args: ['--db', 'postgres', '--rate-limit', 'strict', '--trust-proxy', '1', '--node', '22'], node: 22 },
  { name: 'PostgreSQL, cookie sessions, relaxed tier without Docker', args: ['--db', 'postgres', '--session', 'cookie', '--rate-limit', 'relaxed', '--no-docker', '--port', '4000'], node: 24 },
  { name: 'PostgreSQL and Redis, bearer sessions, on Node 22', args: ['--db', 'postgres', '--rate-limit-store', 'redis', '--node', '22'], node: 22 },
];

/** Routes `new:route` adds besides `widgets` (owner): one for each other access rule. */
const NEW_ROUTES_BY_RULE = [
  ['gadgets', 'GET', 'admin'],
  ['notes', 'POST', 'public'],
  ['memos', 'GET', 'signed-in'],
] as const;

/** A call through a client typed by openapi-typescript's `paths`, and one the types refuse. */
const TYPED_CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api.d.ts';

// node scripts/typed-client.ts <base> sign-up, then <base> sign-in <token from the verification mail>
const [baseUrl = '', step = '', token = ''] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl });
const credentials = { email: 'typed@example.com', password: 'correct horse battery staple' };
if (step === 'sign-up') {
  // @ts-expect-error: the generated type requires a password, as the schema does
  await client.POST('/api/v1/users', { body: { email: credentials.email } });
  const signUp = await client.POST('/api/v1/users', { body: credentials });
  process.stdout.write(\`\${JSON.stringify({ signUp: signUp.response.status, message: typeof signUp.data?.message })}\\n\`);
} else {
  const verified = await client.POST('/api/v1/auth/verify-email', { body: { token } });
  const login = await client.POST('/api/v1/auth/login', { body: credentials });
  if (!login.data) throw new Error(\`login answered \${String(login.response.status)}\`);
  const bearer: string = login.data.token;
  const me = await client.GET('/api/v1/users/me', { headers: { authorization: \`Bearer \${bearer}\` } });
  const anonymous = await client.GET('/api/v1/users/me');
  process.stdout.write(\`\${JSON.stringify({ verified: verified.response.status, email: me.data?.email, role: me.data?.role, anonymous: anonymous.error?.status })}\\n\`);
}
`;

interface Answers {
  origins: string[];
  credentials: boolean;
  globalLimit: string;
  trustProxy: number;
  node: number;
  docker: boolean;
  db: 'sqlite' | 'postgres';
  rateLimitStore: 'memory' | 'redis';
  session: 'bearer' | 'cookie';
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const needs = (set: (typeof ANSWER_SETS)[number], flag: string, value: string) => set.args.join(' ').includes(`${flag} ${value}`);

// One PostgreSQL and one Redis for the whole file, started only if an answer set uses them.
let postgres: Promise<PostgresServer> | undefined;
let redis: Promise<RedisServer> | undefined;
// Where every production server of the file sends its mail (production requires an SMTP server).
let smtp: Promise<SmtpSink> | undefined;
after(async () => {
  await (await postgres)?.destroy();
  await (await redis)?.stop();
  await (await smtp)?.close();
});

for (const [index, set] of ANSWER_SETS.entries()) {
  describe(`generated project: ${set.name}`, { concurrency: false }, () => {
    let dir = '';
    let answers: Answers;
    /** DATABASE_URL and REDIS_URL, where the project uses them. */
    const services: Record<string, string> = {};
    /** SMTP_URL, MAIL_FROM and APP_URL, for the servers started in production. */
    const mail: Record<string, string> = {};
    let sink: SmtpSink;
    const env = projectEnv(set.node);
    const withServices = () => ({ ...env, ...services });

    const cwd = mkdtempSync(join(tmpdir(), 'cse-e2e-'));
    after(() => rmSync(cwd, { recursive: true, force: true }));

    before(async () => {
      const result = runCli(['api', ...QUICK, ...set.args], { cwd });
      assert.equal(result.code, 0, result.stderr);
      dir = join(cwd, 'api');
      answers = readJson(join(dir, '.secure-express.json')).answers;
      if (needs(set, '--db', 'postgres')) services.DATABASE_URL = (await (postgres ??= PostgresServer.start())).database(`matrix_${String(index)}`);
      if (needs(set, '--rate-limit-store', 'redis')) services.REDIS_URL = (await (redis ??= RedisServer.start())).url;
      sink = await (smtp ??= startSmtpSink());
      Object.assign(mail, sink.env);
    });

    it('follows its answers: engines, .nvmrc, Dockerfile, dependencies', () => {
      const pkg = readJson(join(dir, 'package.json'));
      assert.match(pkg.engines.node, new RegExp(`>=${set.node}`));
      assert.equal(readFileSync(join(dir, '.nvmrc'), 'utf8').trim(), String(set.node));
      // Every script runs in every shell: no `NAME=value command` (Windows cmd and PowerShell).
      assert.equal(pkg.scripts.start, 'node -r ./scripts/require-node.cjs dist/server.js');
      assert.equal(pkg.scripts.dev, 'node -r ./scripts/require-node.cjs scripts/dev.ts');
      for (const [name, script] of Object.entries<string>(pkg.scripts)) assert.doesNotMatch(script, /(^|\s)[A-Z_]+=/, name);
      assert.equal(pkg.dependencies.pg !== undefined, answers.db === 'postgres');
      assert.equal(pkg.dependencies['rate-limit-redis'] !== undefined, answers.rateLimitStore === 'redis');
      let dockerfile: string | undefined;
      try {
        dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      } catch {
        dockerfile = undefined;
      }
      assert.equal(dockerfile !== undefined, answers.docker);
      if (dockerfile) assert.match(dockerfile, new RegExp(`FROM node:${set.node}`));
    });

    it('installs', () => mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install'));
    it('typechecks', () => mustPass(npm(dir, ['run', 'typecheck'], env), 'typecheck'));
    it('lints with zero warnings', () => mustPass(npm(dir, ['run', 'lint'], env), 'lint'));
    it('passes its own tests, none skipped', () => {
      const step = npm(dir, ['test'], withServices());
      mustPass(step, 'npm test');
      assert.match(step.output, /(ℹ|#) fail 0/);
      assert.match(step.output, /(ℹ|#) skipped 0/);
      assert.doesNotMatch(step.output, /(ℹ|#) pass 0\b/);
    });
    it('builds', () => mustPass(npm(dir, ['run', 'build'], env), 'build'));

    describe('started in production', { concurrency: false }, () => {
      let server: RunningServer;
      const production = () => ({ ...withServices(), ...mail, NODE_ENV: 'production' });
      before(async () => {
        server = await startServer(dir, ['dist/server.js'], production());
      });
      after(async () => {
        if (server.child.exitCode === null) await server.stop('SIGKILL');
      });

      it('answers /healthz 200 with the API security headers, and /readyz names its dependencies', async () => {
        const response = await fetch(`${server.base}/healthz`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.equal(response.headers.get('x-powered-by'), null);
        const ready = (await (await fetch(`${server.base}/readyz`)).json()) as { dependencies: Record<string, string> };
        assert.deepEqual(ready.dependencies, answers.rateLimitStore === 'redis' ? { database: 'up', redis: 'up' } : { database: 'up' });
      });

      it('allows exactly its production origins', async () => {
        for (const origin of answers.origins) {
          const response = await fetch(`${server.base}/api/v1/users/me`, { headers: { Origin: origin } });
          assert.equal(response.headers.get('access-control-allow-origin'), origin);
          assert.equal(response.headers.get('access-control-allow-credentials'), answers.credentials ? 'true' : null);
        }
        for (const origin of ['https://evil.example.com', 'null', 'http://localhost:5173', ...answers.origins.map((o) => `${o}.evil.test`)]) {
          const response = await fetch(`${server.base}/api/v1/users/me`, { headers: { Origin: origin } });
          assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
        }
      });

      it('returns problem+json without internals for a malformed body', async () => {
        const response = await fetch(`${server.base}/api/v1/users`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' },
          body: '{"email":',
        });
        assert.equal(response.status, 400);
        assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.doesNotMatch(await response.text(), /at |\/src\/|node_modules|SyntaxError/);
      });

      it('keeps a user across a restart, and lists users to no one but an admin', async () => {
        const headers = { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' };
        const body = JSON.stringify({ email: `kept${String(index)}@example.com`, password: 'correct horse battery staple' });
        assert.equal((await fetch(`${server.base}/api/v1/users`, { method: 'POST', headers, body })).status, 202);
        const token = await sink.token(`kept${String(index)}@example.com`, 'verify-email');
        const verify = { method: 'POST', headers, body: JSON.stringify({ token }) };
        assert.equal((await fetch(`${server.base}/api/v1/auth/verify-email`, verify)).status, 204);
        const restarted = await startServer(dir, ['dist/server.js'], production());
        try {
          const login = await fetch(`${restarted.base}/api/v1/auth/login`, { method: 'POST', headers, body });
          assert.equal(login.status, 200);
          const session: Record<string, string> = answers.session === 'bearer'
            ? { authorization: `Bearer ${((await login.json()) as { token: string }).token}` }
            : { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
          assert.equal((await fetch(`${restarted.base}/api/v1/users/me`, { headers: session })).status, 200);
          assert.equal((await fetch(`${restarted.base}/api/v1/users`, { headers: session })).status, 403);
          assert.equal((await fetch(`${restarted.base}/api/v1/users`)).status, 401);
        } finally {
          assert.equal(await restarted.stop(), 0);
        }
      });

      it(`limits a client to its global limit, whatever X-Forwarded-For it sends`, async () => {
        // A server of its own, so that the requests of the other checks do not count; with Redis, which
        // keeps the counts of every instance, from an emptied Redis.
        if (services.REDIS_URL) execFileSync('redis-cli', ['-u', services.REDIS_URL, 'flushall'], { stdio: 'ignore' });
        const fresh = await startServer(dir, ['dist/server.js'], production());
        try {
          const max = Number(answers.globalLimit.split('/')[0]);
          // Behind N proxies the last N entries are the proxies' own; what the client writes comes before.
          const proxies = ', 203.0.113.7'.repeat(answers.trustProxy);
          const send = (i: number) => fetch(`${fresh.base}/api/v1/users/me`, { headers: { 'X-Forwarded-For': `198.51.100.${i % 250}${proxies}` } });
          for (let i = 0; i < max; i += 1) assert.equal((await send(i)).status, 401, `request ${i + 1} of ${max}`);
          const limited = await send(max);
          assert.equal(limited.status, 429);
          assert.ok(limited.headers.get('retry-after'));
          assert.match(limited.headers.get('content-type') ?? '', /application\/problem\+json/);
          assert.equal((await fetch(`${fresh.base}/healthz`)).status, 200, 'health stays exempt');
        } finally {
          assert.equal(await fresh.stop(), 0);
        }
      });

      it('ends with exit code 0 on SIGTERM', async () => {
        assert.equal(await server.stop('SIGTERM'), 0, server.output());
      });
    });

    if (set.newRoute) {
      it('npm run new:route adds a validated route on a table of its own whose new tests pass untouched', () => {
        mustPass(npm(dir, ['run', 'new:route', '--', 'widgets', 'GET,POST,DELETE', 'owner'], env), 'new:route');
        // One route for each other access rule, to find each in the OpenAPI document below.
        for (const [name, methods, access] of NEW_ROUTES_BY_RULE) mustPass(npm(dir, ['run', 'new:route', '--', name, methods, access], env), `new:route ${name}`);
        for (const taken of ['widgets', 'users', 'sessions', 'settings', 'mail-tokens', 'kysely-migration', 'migration-checksum']) {
          const refused = npm(dir, ['run', 'new:route', '--', taken, 'GET', 'admin'], env);
          assert.match(refused.output, /exists already: choose another name/, taken);
        }
        assert.match(npm(dir, ['run', 'new:route'], env).output, /No terminal to ask on: give the answers, npm run new:route -- <name> <methods> <access>/);
        assert.match(readFileSync(join(dir, 'src', 'routes', 'widgets.ts'), 'utf8'), /requireOwner/);
        readFileSync(join(dir, 'test', 'widgets.test.ts'), 'utf8');
        mustPass(npm(dir, ['run', 'new:migration', '--', 'add_widget_colour'], env), 'new:migration');
        // Until it is filled in nothing is applied (test/migrations.test.ts in the project): fill it in.
        const migrations = join(dir, 'src', 'db', 'migrations');
        const migration = readdirSync(migrations).find((name) => name.endsWith('_add_widget_colour.ts')) ?? 'missing';
        writeFileSync(join(migrations, migration), [
          "import type { Kysely } from 'kysely';",
          '',
          'export async function up(db: Kysely<unknown>): Promise<void> {',
          "  await db.schema.alterTable('widgets').addColumn('colour', 'text').execute();",
          '}',
          '',
        ].join('\n'));
        mustPass(npm(dir, ['run', 'typecheck'], env), 'typecheck after new:route');
        mustPass(npm(dir, ['run', 'lint'], env), 'lint after new:route');
        const step = npm(dir, ['test'], env);
        mustPass(step, 'npm test after new:route');
        assert.match(step.output, /widgets/);
        assert.match(step.output, /(ℹ|#) fail 0/);

        // The new routes are in the document with no extra step, each secured as its access rule says.
        mustPass(npm(dir, ['run', 'openapi'], env), 'npm run openapi');
        const { paths } = readJson(join(dir, 'openapi.json')) as { paths: Record<string, Record<string, { security: unknown[]; 'x-access-rule': string }>> };
        const expected: Record<string, string> = {
          'post /api/v1/widgets': 'signed-in',
          'get /api/v1/widgets/{id}': 'owner',
          'delete /api/v1/widgets/{id}': 'owner',
          ...Object.fromEntries(NEW_ROUTES_BY_RULE.map(([name, methods, access]) => [`${methods.toLowerCase()} /api/v1/${name}`, access])),
        };
        for (const [operation, access] of Object.entries(expected)) {
          const [method = '', path = ''] = operation.split(' ');
          const documented = paths[path]?.[method];
          assert.equal(documented?.['x-access-rule'], access, operation);
          assert.deepEqual(documented.security, access === 'public' ? [] : [{ session: [] }], operation);
        }
      });

      it('a client generated from openapi.json by openapi-typescript typechecks and calls the running API', async () => {
        // Installed for this check only: the project itself needs neither.
        mustPass(npm(dir, ['install', '--no-save', '--legacy-peer-deps', '--prefer-offline', '--no-audit', '--no-fund', 'openapi-typescript@^7.13.0', 'openapi-fetch@^0.17.0'], env), 'install the client generator');
        mustPass(npm(dir, ['exec', '--', 'openapi-typescript', 'openapi.json', '-o', 'scripts/api.d.ts'], env), 'openapi-typescript');
        writeFileSync(join(dir, 'scripts', 'typed-client.ts'), TYPED_CLIENT);
        mustPass(npm(dir, ['run', 'typecheck'], env), 'typecheck with the generated client');
        const server = await startServer(dir, ['src/server.ts'], { ...env, NODE_ENV: 'development', DATABASE_PATH: join(cwd, 'typed-client.db') });
        try {
          const typed = (...args: string[]) => {
            const run = spawnSync('node', ['scripts/typed-client.ts', server.base, ...args], { cwd: dir, env, encoding: 'utf8' });
            assert.equal(run.status, 0, run.stderr);
            return JSON.parse(run.stdout) as unknown;
          };
          assert.deepEqual(typed('sign-up'), { signUp: 202, message: 'string' });
          // In development the verification mail, link included, is printed to the log, after the answer.
          let token: string | undefined;
          for (let waited = 0; !token && waited < 10_000; waited += 100) {
            token = /verify-email\?token=([A-Za-z0-9_-]{43})/.exec(server.output())?.[1];
            if (!token) await new Promise((resolve) => setTimeout(resolve, 100));
          }
          assert.ok(token, server.output().slice(-3000));
          assert.deepEqual(typed('sign-in', token), { verified: 204, email: 'typed@example.com', role: 'user', anonymous: 401 });
        } finally {
          await server.stop('SIGTERM');
        }
      });
    }
  });
}
