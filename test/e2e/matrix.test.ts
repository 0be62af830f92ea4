import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { pageResult, servePage, serveScript } from '../support/browser.ts';
import { PostgresServer } from '../support/postgres.ts';
import { freePort, mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';
import { RedisServer } from '../support/redis.ts';

/**
 * The answer sets CI builds end to end: each is generated from the packed CLI, installed, typechecked,
 * linted, tested (against a real PostgreSQL and Redis where it uses them), built, started in
 * production mode and checked over HTTP, then stopped with SIGTERM. Together with test/e2e/redis.test.ts
 * they cover every database and rate-limit store pair (redis with SQLite is refused) on Node 22 and 24,
 * and each session transport on each database and Node version.
 */
const ANSWER_SETS: readonly { name: string; args: readonly string[]; node: 22 | 24; newRoute?: boolean; browser?: boolean }[] = [
  { name: 'the defaults: SQLite, bearer sessions', args: [], node: 24, newRoute: true },
  {
    name: 'SQLite, cookie sessions, production origins, on Node 22',
    args: ['--session', 'cookie', '--origins', 'https://app.example.com,https://admin.example.com', '--node', '22'],
    node: 22,
    browser: true,
  },
  { name: 'PostgreSQL, bearer sessions, strict tier behind one proxy hop, on Node 22', args: ['--db', 'postgres', '--rate-limit', 'strict', '--trust-proxy', '1', '--node', '22'], node: 22 },
  { name: 'PostgreSQL, cookie sessions, relaxed tier without Docker', args: ['--db', 'postgres', '--session', 'cookie', '--rate-limit', 'relaxed', '--no-docker', '--port', '4000'], node: 24 },
  { name: 'PostgreSQL and Redis, bearer sessions, on Node 22', args: ['--db', 'postgres', '--rate-limit-store', 'redis', '--node', '22'], node: 22 },
];

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
after(async () => {
  await (await postgres)?.destroy();
  await (await redis)?.stop();
});

for (const [index, set] of ANSWER_SETS.entries()) {
  describe(`generated project: ${set.name}`, { concurrency: false }, () => {
    let dir = '';
    let answers: Answers;
    /** DATABASE_URL and REDIS_URL, where the project uses them. */
    const services: Record<string, string> = {};
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
    });

    it('follows its answers: engines, .nvmrc, Dockerfile, dependencies', () => {
      const pkg = readJson(join(dir, 'package.json'));
      assert.match(pkg.engines.node, new RegExp(`>=${set.node}`));
      assert.equal(readFileSync(join(dir, '.nvmrc'), 'utf8').trim(), String(set.node));
      // Every script runs in every shell: no `NAME=value command` (Windows cmd and PowerShell).
      assert.equal(pkg.scripts.start, 'node dist/server.js');
      assert.equal(pkg.scripts.dev, 'node scripts/dev.ts');
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
      const production = () => ({ ...withServices(), NODE_ENV: 'production' });
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
        assert.equal((await fetch(`${server.base}/api/v1/users`, { method: 'POST', headers, body })).status, 201);
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

    if (set.browser) {
      it('in Chromium, a page on an allowed origin reads the API and one on another origin is blocked', async (t) => {
        const servers: Server[] = [];
        t.after(() => servers.forEach((server) => server.close()));
        const apiPort = await freePort();
        const api = `http://127.0.0.1:${apiPort}/readyz`;
        const allowed = await servePage(api, answers.credentials);
        const other = await servePage(api, answers.credentials);
        servers.push(allowed.server, other.server);
        // CORS_ORIGINS replaces the generated allowlist: here, the page server's own origin.
        const server = await startServer(dir, ['dist/server.js'], {
          ...withServices(), NODE_ENV: 'production', CORS_ORIGINS: `http://localhost:${allowed.port}`,
        }, apiPort);
        try {
          assert.match(await pageResult(`http://localhost:${allowed.port}/`), /^allowed 200 /);
          assert.equal(await pageResult(`http://localhost:${other.port}/`), 'blocked TypeError');
        } finally {
          assert.equal(await server.stop(), 0);
        }
      });
    }

    if (set.browser && needs(set, '--session', 'cookie')) {
      it('in Chromium, an allowed page signs in with the cookie and reads the caller; another page can neither read it nor sign out', async (t) => {
        const servers: Server[] = [];
        const profile = mkdtempSync(join(tmpdir(), 'cse-chromium-'));
        t.after(() => {
          servers.forEach((server) => server.close());
          rmSync(profile, { recursive: true, force: true });
        });
        const apiPort = await freePort();
        // Pages and API on one site (localhost), as an app and its API on sibling subdomains would be:
        // SameSite=Lax cookies go with requests between them, so only the origin check tells them apart.
        const api = `http://localhost:${apiPort}`;
        const call = "(path, init = {}) => fetch(api + path, { credentials: 'include', ...init })";
        const signIn = await serveScript(api, `
          const call = ${call};
          const body = JSON.stringify({ email: 'browser@example.com', password: 'correct horse battery staple' });
          const headers = { 'content-type': 'application/json' };
          const signedUp = await call('/api/v1/users', { method: 'POST', headers, body });
          const login = await call('/api/v1/auth/login', { method: 'POST', headers, body });
          const text = await login.text();
          const me = await call('/api/v1/users/me');
          return [signedUp.status, login.status, /"token"/.test(text) ? 'token in body' : 'no token in body', me.status, (await me.json()).email].join(' ');`);
        const readMe = await serveScript(api, `
          const me = await fetch(api + '/api/v1/users/me', { credentials: 'include' });
          return 'me ' + me.status + ' ' + (await me.json()).email;`);
        const attack = await serveScript(api, `
          const read = await fetch(api + '/api/v1/users/me', { credentials: 'include' }).then((r) => 'read ' + r.status, (e) => 'read blocked ' + e.name);
          // A simple request needs no preflight: the browser sends it, with the cookie, whatever CORS says
          // (its answer is opaque, or refused by the browser's opaque-response blocking).
          await fetch(api + '/api/v1/auth/logout', { method: 'POST', credentials: 'include', mode: 'no-cors' }).catch(() => undefined);
          return read;`);
        servers.push(signIn.server, readMe.server, attack.server);
        const server = await startServer(dir, ['dist/server.js'], {
          ...withServices(), NODE_ENV: 'production', CORS_ORIGINS: `http://localhost:${signIn.port},http://localhost:${readMe.port}`,
        }, apiPort);
        try {
          assert.equal(await pageResult(`http://localhost:${signIn.port}/`, profile), '201 200 no token in body 200 browser@example.com');
          assert.equal(await pageResult(`http://localhost:${attack.port}/`, profile), 'read blocked TypeError');
          assert.equal(await pageResult(`http://localhost:${readMe.port}/`, profile), 'me 200 browser@example.com', 'still signed in: the other page could not sign the user out');
          assert.match(server.output(), /"url":"\/api\/v1\/auth\/logout","remoteAddress":"[^"]+"},"res":\{"statusCode":403\}/);
        } finally {
          assert.equal(await server.stop(), 0);
        }
      });
    }

    if (set.newRoute) {
      it('npm run new:route adds a validated route on a table of its own whose new tests pass untouched', () => {
        mustPass(npm(dir, ['run', 'new:route', '--', 'widgets', 'GET,POST,DELETE', 'owner'], env), 'new:route');
        for (const taken of ['widgets', 'users', 'sessions', 'settings', 'kysely-migration', 'migration-checksum']) {
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
      });
    }
  });
}
