import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { mustPass, npm, projectEnv } from '../support/project.ts';

/**
 * examples/team-template, as a team would use it: a git repository with a tag, fetched through a
 * file:// URL, its plopfile trusted; the project it makes must pass its own install, checks and tests.
 */
const EXAMPLE = new URL('../../examples/team-template', import.meta.url).pathname;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Platform', '-c', 'user.email=platform@acme.test', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

describe('the example team template', { concurrency: false }, () => {
  const root = mkdtempSync(join(tmpdir(), 'cse-example-'));
  const dir = join(root, 'orders-api');
  const env = projectEnv(24);
  after(() => rmSync(root, { recursive: true, force: true }));

  before(() => {
    const work = join(root, 'api-template');
    cpSync(EXAMPLE, work, { recursive: true });
    git(work, 'init', '--quiet');
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'Acme API template v1');
    git(work, 'tag', 'v1');
    git(root, 'clone', '--quiet', '--bare', work, join(root, 'api-template.git'));
  });

  it('generates a project through a file:// git URL at a tag', () => {
    const url = `file://${join(root, 'api-template.git')}#v1`;
    const result = runCli(['orders-api', ...QUICK, '--template', url, '--var', 'ownerEmail=orders@acme.test', '--trust'], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    console.log(`$ create-secure-express orders-api --yes --no-install --no-git --template ${url} --var ownerEmail=orders@acme.test --trust\n${result.stdout}`);
    assert.equal(readFileSync(join(dir, '.github', 'CODEOWNERS'), 'utf8').trim().split('\n').pop(), '* orders@acme.test');
    assert.ok(!existsSync(join(dir, 'Dockerfile')), 'the template removes the Dockerfile');
    assert.match(readFileSync(join(dir, 'src', 'routes', 'index.ts'), 'utf8'), /router\.use\('\/service-info', serviceInfoRouter\(\)\);/);
    const file = JSON.parse(readFileSync(join(dir, '.secure-express.json'), 'utf8'));
    assert.equal(file.template.name, 'acme-api');
    assert.equal(file.template.ref, 'v1');
    assert.match(file.template.commit, /^[0-9a-f]{40}$/);
    assert.equal(file.answers.trustProxy, 1);
    assert.deepEqual(file.answers.origins, ['https://app.acme.test']);
    assert.equal(file.answers.docker, false, 'removing the Dockerfile turns docker off');
    assert.doesNotMatch(readFileSync(join(dir, 'README.md'), 'utf8'), /docker build/);
  });

  it('refuses to change a locked answer', () => {
    const url = `file://${join(root, 'api-template.git')}#v1`;
    const result = runCli(['other', ...QUICK, '--template', url, '--var', 'ownerEmail=x@acme.test', '--trust', '--trust-proxy', '0'], { cwd: root });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--trust-proxy: locked to 1 by template acme-api/);
  });

  it('the project installs, typechecks, lints and passes its tests, the template\'s own included', () => {
    mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install');
    mustPass(npm(dir, ['run', 'typecheck'], env), 'typecheck');
    mustPass(npm(dir, ['run', 'lint'], env), 'lint');
    const step = npm(dir, ['test'], env);
    mustPass(step, 'npm test');
    assert.match(step.output, /service-info names the service and its owning team/);
    assert.match(step.output, /(ℹ|#) fail 0/);
  });
});
