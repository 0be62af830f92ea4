import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';

const TARBALL = process.env.CSE_TARBALL ?? '';
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/**
 * A generated project, started in production, passes every check of `npm run check` (slow headers
 * included), run the way its README says: the project's own script, which runs this generator's
 * `check` at the version that made the project. The package is not published, so the packed tarball
 * is installed beside the project's dependencies first; npx then finds it there.
 */
describe('npm run check in a generated project', { concurrency: false }, () => {
  const env = projectEnv(24);
  const cwd = mkdtempSync(join(tmpdir(), 'cse-e2e-check-'));
  const dir = join(cwd, 'api');
  let server: RunningServer | undefined;
  after(async () => {
    await server?.stop('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });

  before(() => {
    const result = runCli(['api', ...QUICK], { cwd });
    assert.equal(result.code, 0, result.stderr);
  });

  it('has a check script that runs this generator at its own version', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.check, `npx --yes ${PACKAGE.name}@${PACKAGE.version} check`);
  });

  it('installs, with the packed generator beside it, and builds', () => {
    mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install');
    mustPass(npm(dir, ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', TARBALL], env), 'npm install <tarball>');
    mustPass(npm(dir, ['run', 'build'], env), 'npm run build');
  });

  it('passes every check, started in production', async () => {
    server = await startServer(dir, ['dist/server.js'], { ...env, NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'no-reply@example.com', APP_URL: 'https://app.example.com' });
    const login = JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' });
    const args = [`${server.base}/healthz`, '--limit-path', '/api/v1/auth/login', '--limit-method', 'POST', '--limit-body', login, '--slow'];
    const step = npm(dir, ['run', '--silent', 'check', '--', ...args, '--json', '--sarif', 'check.sarif'], env, 120_000);
    // The helper's output is stdout then stderr: the report is the first object, closed at column 0.
    const start = step.output.indexOf('{\n');
    const report = JSON.parse(step.output.slice(start, step.output.indexOf('\n}\n', start) + 2));
    const notPassed = report.checks.filter((check: { verdict: string }) => check.verdict !== 'pass');
    assert.deepEqual(notPassed, [], 'every check passes');
    assert.equal(report.checks.length, 18);
    assert.equal(step.code, 0, step.output.slice(-3000));
    assert.match(step.output, /^check sends at most 300 requests to http:\/\/127\.0\.0\.1:\d+ and nowhere else/m);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'check.sarif'), 'utf8')).runs[0].results, [], 'no SARIF alert');
  });
});
