import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sarifErrors } from '../support/sarif-schema.ts';
import { QUICK, runCli } from '../support/cli.ts';
import { startForwardingProxy } from '../support/forwarding-proxy.ts';
import { mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';

/**
 * npm, run without blocking this process: the proxy in front of the API lives here and must keep
 * serving while the check runs.
 */
async function npmRun(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, output: `${stdout}${stderr}` };
}

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
const FRONT_END = 'https://app.example.com';
/** Production needs mail settings; nothing in the check signs anyone up, so no mail is ever sent. */
const MAIL = { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'no-reply@example.com', APP_URL: FRONT_END };
const LOGIN = JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' });


/**
 * How the project is deployed: TRUST_PROXY=0 reached directly and 1 behind its proxy are right; 1
 * reached without its proxy is the deployment mistake the forged-header check warns about.
 */
const SETUPS = [
  { trustProxy: 0, viaProxy: false, warns: [] },
  { trustProxy: 1, viaProxy: true, warns: [] },
  { trustProxy: 1, viaProxy: false, warns: ['rate-limit/forged-headers'] },
] as const;

/** Skipped against a generated project on http: HSTS (https only), and cookies (only a successful login sets one). */
const EXPECTED_SKIPS = ['cookies/attributes', 'headers/hsts'];

/**
 * Generated projects, started in production, pass every check of `npm run check`, run the way their
 * README says: the project's own script, which runs the generator pinned in its lockfile, with no
 * registry to reach. Both session modes; `TRUST_PROXY` 0 scanned directly, and 1 through a proxy that
 * appends X-Forwarded-For as nginx does.
 */
for (const session of ['bearer', 'cookie'] as const) {
  describe(`npm run check in a generated ${session} project`, { concurrency: false }, () => {
    const env = projectEnv(24);
    const cwd = mkdtempSync(join(tmpdir(), `cse-e2e-check-${session}-`));
    const dir = join(cwd, 'api');
    let server: RunningServer | undefined;
    after(async () => {
      await server?.stop('SIGKILL');
      rmSync(cwd, { recursive: true, force: true });
    });

    before(() => {
      const result = runCli(['api', ...QUICK, '--session', session], { cwd });
      assert.equal(result.code, 0, result.stderr);
    });

    it('pins this generator as an exact devDependency, and its check script calls the bin', () => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      assert.equal(pkg.scripts.check, `${PACKAGE.name} check`);
      assert.equal(pkg.devDependencies[PACKAGE.name], PACKAGE.version);
    });

    it('installs (the generator from the packed tarball, in the lockfile) and builds', () => {
      mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install');
      const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
      assert.equal(lock.packages[`node_modules/${PACKAGE.name}`]?.version, PACKAGE.version);
      mustPass(npm(dir, ['run', 'build'], env), 'npm run build');
    });

    for (const { trustProxy, viaProxy, warns } of SETUPS) {
      const via = viaProxy ? 'through a proxy that appends X-Forwarded-For' : 'scanned directly';
      const verdict = warns.length === 0 ? 'passes every check' : `passes every check but warns ${warns.join(', ')}`;
      it(`${verdict} with TRUST_PROXY=${trustProxy}, ${via}, offline`, async (t) => {
        server = await startServer(dir, ['dist/server.js'], { ...env, NODE_ENV: 'production', TRUST_PROXY: String(trustProxy), CORS_ORIGINS: FRONT_END, ...MAIL });
        const proxy = viaProxy ? await startForwardingProxy(Number(new URL(server.base).port)) : undefined;
        t.after(() => proxy?.close());
        const base = proxy?.base ?? server.base;
        // The project's own document, as it serves it: every route it names is probed.
        const args = [`${base}/healthz`, '--openapi', `${base}/openapi.json`, '--origin', FRONT_END, '--limit-path', '/api/v1/auth/login', '--limit-method', 'POST', '--limit-body', LOGIN, '--slow'];
        // No registry to reach: the checker must come from the project's own node_modules.
        const offline = { ...env, npm_config_offline: 'true', npm_config_registry: 'http://127.0.0.1:9/' };
        const step = await npmRun(dir, ['run', '--silent', 'check', '--', ...args, '--json', '--sarif', 'check.sarif'], offline);
        await server.stop();
        server = undefined;
        // The helper's output is stdout then stderr: the report is the first object, closed at column 0.
        const start = step.output.indexOf('{\n');
        const report = JSON.parse(step.output.slice(start, step.output.indexOf('\n}\n', start) + 2)) as { checks: { id: string; verdict: string; evidence: string }[]; requests: { sent: number } };
        const notPassed = report.checks.filter((check) => check.verdict !== 'pass' && !(check.verdict === 'skipped' && EXPECTED_SKIPS.includes(check.id)));
        assert.deepEqual(notPassed.map(({ id, verdict }) => [id, verdict]), warns.map((id) => [id, 'warn']), step.output.slice(0, 6000));
        assert.equal(step.code, 0, step.output.slice(-3000));
        assert.match(step.output, new RegExp(`^check sends at most 300 requests to ${base.replaceAll('.', '\\.')} and nowhere else`, 'm'));
        assert.match(report.checks.find((check) => check.id === 'auth/anonymous')?.evidence ?? '', /^6 secured operations → 401; 1 DELETE operation\(s\) not sent$/);
        // For the report: how many requests a full run costs a generated project.
        t.diagnostic(`${session}, TRUST_PROXY=${trustProxy} ${via}: ${report.checks.length} checks, ${report.requests.sent} requests`);
        const sarif = JSON.parse(readFileSync(join(dir, 'check.sarif'), 'utf8'));
        assert.equal(sarifErrors(sarif), '');
        assert.deepEqual(sarif.runs[0].results.map((result: { ruleId: string; level: string }) => [result.ruleId, result.level]), warns.map((id) => [id, 'warning']));
      });
    }
  });
}
