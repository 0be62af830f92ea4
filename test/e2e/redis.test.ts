import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';
import { RedisServer } from '../support/redis.ts';

/**
 * `--rate-limit-store redis`, proven against a real redis-server: the project passes its own checks
 * with REDIS_URL set (its redis tests run rather than skip), two instances share one limit, and losing
 * Redis fails the auth tier closed and readiness, until Redis is back.
 */

async function waitForStatus(url: string, status: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await fetch(url).catch(() => ({ status: 0 }))).status;
    if (last === status) return;
    await sleep(200);
  }
  assert.fail(`${url} answered ${last}, not ${status}, within ${timeoutMs} ms`);
}

describe('generated project with the redis store', { concurrency: false }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cse-redis-'));
  const dir = join(cwd, 'api');
  const env = projectEnv(24);
  let redis: RedisServer;
  after(async () => {
    await redis?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  before(async () => {
    redis = await RedisServer.start();
    const result = runCli(['api', ...QUICK, '--rate-limit-store', 'redis', '--global-limit', '10/1m', '--auth-limit', '3/1m'], { cwd });
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
    const step = npm(dir, ['test'], { ...env, REDIS_URL: redis.url });
    mustPass(step, 'npm test with REDIS_URL');
    assert.match(step.output, /(ℹ|#) fail 0/);
    assert.match(step.output, /(ℹ|#) skipped 0/);
    assert.match(step.output, /redis/i);
  });

  it('reports its redis tests as skipped, by name, without REDIS_URL', () => {
    const step = npm(dir, ['test'], env);
    mustPass(step, 'npm test without REDIS_URL');
    // The spec reporter marks a skipped test with ﹣ and its reason; TAP writes `# SKIP reason`.
    assert.match(step.output, /﹣ .*redis.*# REDIS_URL is not set|# SKIP.*REDIS_URL/i);
    assert.match(step.output, /(ℹ|#) skipped [1-9]/);
  });

  it('refuses to start in production without REDIS_URL, in one line naming it', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync('node', ['dist/server.js'], { cwd: dir, env: { ...env, NODE_ENV: 'production', REDIS_URL: '' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stderr + result.stdout, /REDIS_URL/);
  });

  describe('two instances sharing one Redis', { concurrency: false }, () => {
    let one: RunningServer;
    let two: RunningServer;
    const productionEnv = () => ({ ...env, NODE_ENV: 'production', REDIS_URL: `${redis.url}/0`, LOG_LEVEL: 'warn' });
    before(async () => {
      one = await startServer(dir, ['dist/server.js'], productionEnv());
      two = await startServer(dir, ['dist/server.js'], productionEnv());
    });
    after(async () => {
      for (const server of [one, two]) if (server?.child.exitCode === null) await server.stop('SIGKILL');
    });

    it('a client spreading max + 1 requests across both gets its 429 on the last one', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await fetch(`${(i % 2 ? two : one).base}/api/v1/users`)).status);
      assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
    });

    it('while Redis is down: readiness 503 on both, the auth tier refuses, nothing crashes', async () => {
      await redis.stop();
      for (const server of [one, two]) await waitForStatus(`${server.base}/readyz`, 503);
      const login = await fetch(`${one.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.com', password: 'correct horse battery staple' }),
      });
      assert.equal(login.status, 503);
      assert.match(login.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal((await fetch(`${two.base}/healthz`)).status, 200);
      assert.equal(one.child.exitCode, null);
      assert.equal(two.child.exitCode, null);
    });

    it('once Redis is back, both instances recover without a restart', async () => {
      await redis.resume();
      for (const server of [one, two]) await waitForStatus(`${server.base}/readyz`, 200, 30_000);
      const login = await fetch(`${two.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.com', password: 'correct horse battery staple' }),
      });
      assert.equal(login.status, 401);
    });

    it('SIGTERM ends both with exit code 0, closing their Redis connections', async () => {
      assert.equal(await one.stop(), 0, one.output());
      assert.equal(await two.stop(), 0, two.output());
      assert.doesNotMatch(one.output() + two.output(), new RegExp(`redis://[^\\s"]*:[^\\s"@]*@`));
    });
  });
});
