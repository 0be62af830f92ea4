import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { pageResult, servePage } from '../support/browser.ts';
import { freePort, mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';

/**
 * The answer sets CI builds end to end: each is generated from the packed CLI, installed, typechecked,
 * linted, tested, built, started in production mode and checked over HTTP, then stopped with SIGTERM.
 */
const ANSWER_SETS: readonly { name: string; args: readonly string[]; node: 22 | 24; newRoute?: boolean; browser?: boolean }[] = [
  { name: 'the defaults', args: [], node: 24, newRoute: true },
  { name: 'production origins with credentials', args: ['--origins', 'https://app.example.com,https://admin.example.com', '--credentials'], node: 24, browser: true },
  { name: 'strict tier behind one proxy hop', args: ['--rate-limit', 'strict', '--trust-proxy', '1'], node: 24 },
  { name: 'relaxed tier on Node 22 without Docker', args: ['--rate-limit', 'relaxed', '--node', '22', '--no-docker', '--port', '4000'], node: 22 },
];

interface Answers {
  origins: string[];
  credentials: boolean;
  globalLimit: string;
  trustProxy: number;
  node: number;
  docker: boolean;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

for (const set of ANSWER_SETS) {
  describe(`generated project: ${set.name}`, { concurrency: false }, () => {
    let dir = '';
    let answers: Answers;
    const env = projectEnv(set.node);

    const cwd = mkdtempSync(join(tmpdir(), 'cse-e2e-'));
    after(() => rmSync(cwd, { recursive: true, force: true }));

    before(() => {
      const result = runCli(['api', ...QUICK, ...set.args], { cwd });
      assert.equal(result.code, 0, result.stderr);
      dir = join(cwd, 'api');
      answers = readJson(join(dir, '.secure-express.json')).answers;
    });

    it('follows its answers: engines, .nvmrc, Dockerfile', () => {
      const pkg = readJson(join(dir, 'package.json'));
      assert.match(pkg.engines.node, new RegExp(`>=${set.node}`));
      assert.equal(readFileSync(join(dir, '.nvmrc'), 'utf8').trim(), String(set.node));
      // Every script runs in every shell: no `NAME=value command` (Windows cmd and PowerShell).
      assert.equal(pkg.scripts.start, 'node dist/server.js');
      assert.equal(pkg.scripts.dev, 'node scripts/dev.ts');
      for (const [name, script] of Object.entries<string>(pkg.scripts)) assert.doesNotMatch(script, /(^|\s)[A-Z_]+=/, name);
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
    it('passes its own tests', () => {
      const step = npm(dir, ['test'], env);
      mustPass(step, 'npm test');
      assert.match(step.output, /(ℹ|#) fail 0/);
      assert.doesNotMatch(step.output, /(ℹ|#) pass 0\b/);
    });
    it('builds', () => mustPass(npm(dir, ['run', 'build'], env), 'build'));

    describe('started in production', { concurrency: false }, () => {
      let server: RunningServer;
      before(async () => {
        server = await startServer(dir, ['dist/server.js'], { ...env, NODE_ENV: 'production' });
      });
      after(async () => {
        if (server.child.exitCode === null) await server.stop('SIGKILL');
      });

      it('answers /healthz 200 with the API security headers', async () => {
        const response = await fetch(`${server.base}/healthz`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.equal(response.headers.get('x-powered-by'), null);
      });

      it('allows exactly its production origins', async () => {
        for (const origin of answers.origins) {
          const response = await fetch(`${server.base}/api/v1/users`, { headers: { Origin: origin } });
          assert.equal(response.headers.get('access-control-allow-origin'), origin);
          assert.equal(response.headers.get('access-control-allow-credentials'), answers.credentials ? 'true' : null);
        }
        for (const origin of ['https://evil.example.com', 'null', 'http://localhost:5173', ...answers.origins.map((o) => `${o}.evil.test`)]) {
          const response = await fetch(`${server.base}/api/v1/users`, { headers: { Origin: origin } });
          assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
        }
      });

      it('returns problem+json without internals for a malformed body', async () => {
        const response = await fetch(`${server.base}/api/v1/users`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"email":' });
        assert.equal(response.status, 400);
        assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.doesNotMatch(await response.text(), /at |\/src\/|node_modules|SyntaxError/);
      });

      it(`limits a client to its global limit, whatever X-Forwarded-For it sends`, async () => {
        // A server of its own, so that the requests of the other checks do not count.
        const fresh = await startServer(dir, ['dist/server.js'], { ...env, NODE_ENV: 'production' });
        try {
          const max = Number(answers.globalLimit.split('/')[0]);
          // Behind N proxies the last N entries are the proxies' own; what the client writes comes before.
          const proxies = ', 203.0.113.7'.repeat(answers.trustProxy);
          const send = (i: number) => fetch(`${fresh.base}/api/v1/users`, { headers: { 'X-Forwarded-For': `198.51.100.${i % 250}${proxies}` } });
          for (let i = 0; i < max; i += 1) assert.equal((await send(i)).status, 200, `request ${i + 1} of ${max}`);
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
        const api = `http://127.0.0.1:${apiPort}/api/v1/users?limit=1`;
        const allowed = await servePage(api, answers.credentials);
        const other = await servePage(api, answers.credentials);
        servers.push(allowed.server, other.server);
        // CORS_ORIGINS replaces the generated allowlist: here, the page server's own origin.
        const server = await startServer(dir, ['dist/server.js'], {
          ...env, NODE_ENV: 'production', CORS_ORIGINS: `http://localhost:${allowed.port}`,
        }, apiPort);
        try {
          assert.match(await pageResult(`http://localhost:${allowed.port}/`), /^allowed 200 /);
          assert.equal(await pageResult(`http://localhost:${other.port}/`), 'blocked TypeError');
        } finally {
          assert.equal(await server.stop(), 0);
        }
      });
    }

    if (set.newRoute) {
      it('npm run new:route adds a validated route whose new test passes untouched', () => {
        mustPass(npm(dir, ['run', 'new:route', '--', 'widgets', 'GET,POST'], env), 'new:route');
        assert.match(readFileSync(join(dir, 'src', 'routes', 'widgets.ts'), 'utf8'), /z\./);
        readFileSync(join(dir, 'test', 'widgets.test.ts'), 'utf8');
        mustPass(npm(dir, ['run', 'typecheck'], env), 'typecheck after new:route');
        mustPass(npm(dir, ['run', 'lint'], env), 'lint after new:route');
        const step = npm(dir, ['test'], env);
        mustPass(step, 'npm test after new:route');
        assert.match(step.output, /widgets/);
      });
    }
  });
}
