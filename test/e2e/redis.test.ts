import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';
import { PostgresServer } from '../support/postgres.ts';
import { RedisServer } from '../support/redis.ts';

/**
 * `--rate-limit-store redis` (with `--db postgres`, which it needs, and cookie sessions), proven against
 * a real redis-server and PostgreSQL: the project passes its own checks with REDIS_URL set (its redis
 * tests run rather than skip), two instances share one limit, and losing Redis fails the login limits
 * closed, never readiness (every instance shares Redis), until Redis is back.
 */

/** Waits until /readyz names Redis in this state (it stays 200 either way). */
async function waitForRedis(base: string, state: 'up' | 'down', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/readyz`).catch(() => undefined);
    assert.equal(response?.status, 200, 'readiness never fails over a shared service');
    last = ((await response.json()) as { dependencies: Record<string, string> }).dependencies.redis ?? '';
    if (last === state) return;
    await sleep(200);
  }
  assert.fail(`${base}/readyz named Redis ${last}, not ${state}, within ${timeoutMs} ms`);
}

/** A login as a browser page of the API's own origin sends it (cookie sessions check the origin). */
const login = (base: string) =>
  fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' },
    body: JSON.stringify({ email: 'someone@example.com', password: 'correct horse battery staple' }),
  });

describe('generated project with the redis store', { concurrency: false }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cse-redis-'));
  const dir = join(cwd, 'api');
  const env = projectEnv(24);
  let redis: RedisServer;
  let postgres: PostgresServer;
  const database: Record<string, string> = {};
  after(async () => {
    await redis?.stop();
    await postgres?.destroy();
    rmSync(cwd, { recursive: true, force: true });
  });

  before(async () => {
    [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
    database.DATABASE_URL = postgres.database('redis_e2e');
    const args = ['--db', 'postgres', '--rate-limit-store', 'redis', '--session', 'cookie', '--global-limit', '10/1m', '--auth-limit', '3/1m'];
    const result = runCli(['api', ...QUICK, ...args], { cwd });
    assert.equal(result.code, 0, result.stderr);
  });

  it('declares its Redis client and store, and REDIS_URL in .env.example', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    assert.ok(pkg.dependencies['rate-limit-redis']);
    assert.match(readFileSync(join(dir, '.env.example'), 'utf8'), /^#?\s*REDIS_URL=/m);
  });

  it('installs, typechecks, lints and builds', () => {
    mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install');
    mustPass(npm(dir, ['run', 'typecheck'], env), 'typecheck');
    mustPass(npm(dir, ['run', 'lint'], env), 'lint');
    mustPass(npm(dir, ['run', 'build'], env), 'build');
  });

  it('passes its own tests against the real Redis, none of them skipped', () => {
    const step = npm(dir, ['test'], { ...env, ...database, REDIS_URL: redis.url });
    mustPass(step, 'npm test with REDIS_URL');
    assert.match(step.output, /(ℹ|#) fail 0/);
    assert.match(step.output, /(ℹ|#) skipped 0/);
    assert.match(step.output, /redis/i);
  });

  it('reports its redis tests as skipped, by name, without REDIS_URL', () => {
    const step = npm(dir, ['test'], { ...env, ...database });
    mustPass(step, 'npm test without REDIS_URL');
    // The spec reporter marks a skipped test with ﹣ and its reason; TAP writes `# SKIP reason`.
    assert.match(step.output, /﹣ .*redis.*# REDIS_URL is not set|# SKIP.*REDIS_URL/i);
    assert.match(step.output, /(ℹ|#) skipped [1-9]/);
  });

  it('refuses to start in production without REDIS_URL, in one line naming it', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync('node', ['dist/server.js'], { cwd: dir, env: { ...env, ...database, NODE_ENV: 'production', REDIS_URL: '' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stderr + result.stdout, /REDIS_URL/);
  });

  describe('two instances sharing one Redis', { concurrency: false }, () => {
    let one: RunningServer;
    let two: RunningServer;
    const mail = { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'no-reply@example.com', APP_URL: 'https://app.example.com' };
    const productionEnv = () => ({ ...env, ...database, ...mail, NODE_ENV: 'production', REDIS_URL: `${redis.url}/0`, LOG_LEVEL: 'warn' });
    before(async () => {
      one = await startServer(dir, ['dist/server.js'], productionEnv());
      two = await startServer(dir, ['dist/server.js'], productionEnv());
    });
    after(async () => {
      for (const server of [one, two]) if (server?.child.exitCode === null) await server.stop('SIGKILL');
    });

    it('a client spreading max + 1 requests across both gets its 429 on the last one', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await fetch(`${(i % 2 ? two : one).base}/api/v1/users/me`)).status);
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
    });

    it('while Redis is down: readiness stays 200 on both naming it, logins get a 503, nothing crashes', async () => {
      await redis.stop();
      for (const server of [one, two]) await waitForRedis(server.base, 'down');
      const refused = await login(one.base);
      assert.equal(refused.status, 503);
      assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal((await fetch(`${two.base}/healthz`)).status, 200);
      assert.equal(one.child.exitCode, null);
      assert.equal(two.child.exitCode, null);
    });

    it('once Redis is back, both instances recover without a restart', async () => {
      await redis.resume();
      for (const server of [one, two]) await waitForRedis(server.base, 'up', 30_000);
      assert.equal((await login(two.base)).status, 401);
    });

    it('SIGTERM ends both with exit code 0, closing their Redis connections', async () => {
      assert.equal(await one.stop(), 0, one.output());
      assert.equal(await two.stop(), 0, two.output());
      assert.doesNotMatch(one.output() + two.output(), new RegExp(`redis://[^\\s"]*:[^\\s"@]*@`));
    });
  });
});
