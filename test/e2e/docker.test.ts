import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { freePort, mustPass, npm, projectEnv } from '../support/project.ts';

/**
 * The generated Dockerfile, built unchanged and run, without a Docker engine: buildah builds it on a
 * local stand-in for node:24-bookworm-slim (../shared/tools/local-node-image.sh, from Debian's
 * packages and the node@24 npm package), then runs the image. Where buildah cannot run (not root, no
 * buildah, no image script), the tests say so and skip. The compose files of the PostgreSQL and Redis
 * variants are checked with docker-compose, which reads and validates them without an engine.
 */
const IMAGE_SCRIPT =
  process.env.CSE_LOCAL_NODE_IMAGE ??
  [new URL('../../../shared/tools/local-node-image.sh', import.meta.url).pathname, '/work/shared/tools/local-node-image.sh'].find((path) => existsSync(path)) ??
  '../shared/tools/local-node-image.sh';
const buildah = (args: readonly string[], options: { timeout?: number; input?: string } = {}) =>
  spawnSync('buildah', args, {
    env: { ...process.env, STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
  });

function whyNoBuildah(): string | false {
  if (process.getuid?.() !== 0) return 'buildah runs here as root only';
  if (spawnSync('buildah', ['--version']).status !== 0) return 'buildah is not installed (apt-get install buildah)';
  if (spawnSync('test', ['-f', IMAGE_SCRIPT]).status !== 0) return `no ${IMAGE_SCRIPT} to build node:24-bookworm-slim with`;
  return false;
}
const skip = whyNoBuildah();
if (skip) console.log(`docker e2e skipped: ${skip}`);

describe('the generated Dockerfile, built with buildah and run', { concurrency: false, skip }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cse-docker-'));
  const dir = join(cwd, 'api');
  const tag = `localhost/cse-e2e-${String(process.pid)}`;
  let container = '';
  after(() => {
    if (container) buildah(['rm', container]);
    buildah(['rmi', '--force', tag]);
    rmSync(cwd, { recursive: true, force: true });
  });

  before(() => {
    assert.equal(runCli(['api', ...QUICK], { cwd }).code, 0);
    // The build installs with `npm ci`, from the lockfile a real project commits.
    mustPass(npm(dir, ['install', '--package-lock-only', '--prefer-offline', '--no-audit', '--no-fund'], projectEnv(24)), 'npm install --package-lock-only');
    execFileSync('bash', [IMAGE_SCRIPT, '24'], { stdio: 'ignore', timeout: 900_000 });
  });

  it('builds unchanged', () => {
    const built = buildah(['bud', '--network', 'host', '--pull-never', '-t', tag, dir], { timeout: 900_000 });
    assert.equal(built.status, 0, built.stdout.slice(-3000) + built.stderr.slice(-3000));
    const from = buildah(['from', '--pull-never', tag]);
    assert.equal(from.status, 0, from.stderr);
    container = from.stdout.trim();
  });

  it('runs as the unprivileged node user, with no npm, npx, corepack or yarn', () => {
    const run = (command: string) => buildah(['run', '--user', 'node', container, '--', 'sh', '-c', command]);
    assert.equal(run('id -u').stdout.trim(), '1000');
    for (const tool of ['npm', 'npx', 'corepack', 'yarn']) assert.notEqual(run(`command -v ${tool}`).status, 0, `${tool} is in the image`);
    // The code is root's and read-only to the app; only the data folder is its own.
    assert.notEqual(run('touch dist/server.js').status, 0, 'the app may not rewrite its code');
    assert.equal(run('touch data/probe && rm data/probe').status, 0, 'the app may write its data folder');
  });

  it('starts in production and keeps its data in /app/data', async () => {
    const port = await freePort();
    const child = spawn('buildah', ['run', '--network', 'host', '--user', 'node', '--env', `PORT=${String(port)}`, '--env', 'HOST=127.0.0.1', '--env', 'SMTP_URL=smtp://127.0.0.1:9', '--env', 'MAIL_FROM=no-reply@example.com', '--env', 'APP_URL=https://app.example.com', '--env', 'ALLOWED_HOSTS=127.0.0.1', container, '--', 'node', 'dist/server.js'], {
      env: { ...process.env, STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // `buildah run` does not pass SIGTERM on to the process (it is killed): graceful shutdown is tested
    // on the host, and here the container is only stopped.
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const base = `http://127.0.0.1:${String(port)}`;
      const deadline = Date.now() + 30_000;
      while (!(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
        assert.ok(Date.now() < deadline && child.exitCode === null, `the container did not become ready:\n${output}`);
        await sleep(200);
      }
      const signUp = await fetch(`${base}/api/v1/users`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'docker@example.com', password: 'correct horse battery staple' }),
      });
      assert.equal(signUp.status, 202);
      assert.match(output, /"env":"production"/, 'NODE_ENV=production in the image');
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
    const files = buildah(['run', '--user', 'node', container, '--', 'sh', '-c', 'ls data']).stdout;
    assert.match(files, /app\.db/);
  });
});

describe('the generated compose files', { skip: spawnSync('docker-compose', ['version']).status === 0 ? false : 'docker-compose is not installed' }, () => {
  for (const args of [['--db', 'postgres'], ['--db', 'postgres', '--rate-limit-store', 'redis']]) {
    it(`are valid with ${args.join(' ')}, need their passwords and mail settings, and publish only the API (and a dev-only mail catcher on loopback)`, (t) => {
      const cwd = mkdtempSync(join(tmpdir(), 'cse-compose-'));
      t.after(() => rmSync(cwd, { recursive: true, force: true }));
      assert.equal(runCli(['api', ...QUICK, ...args], { cwd }).code, 0);
      const file = join(cwd, 'api', 'docker-compose.yml');
      const config = (env: Record<string, string>) =>
        spawnSync('docker-compose', ['-f', file, 'config'], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
      const withoutPasswords = config({});
      assert.notEqual(withoutPasswords.status, 0, 'refused without POSTGRES_PASSWORD');
      assert.match(withoutPasswords.stderr, /set POSTGRES_PASSWORD/);
      const passwords = { POSTGRES_PASSWORD: 'pgsecret', REDIS_PASSWORD: 'redissecret' };
      assert.match(config(passwords).stderr, /set SMTP_URL/, 'production needs a mail server');
      assert.match(config({ ...passwords, SMTP_URL: 'smtp://mailpit:1025', MAIL_FROM: 'no-reply@example.com', APP_URL: 'https://app.example.com' }).stderr, /set ALLOWED_HOSTS/);
      const valid = config({ ...passwords, SMTP_URL: 'smtp://mailpit:1025', MAIL_FROM: 'no-reply@example.com', APP_URL: 'https://app.example.com', ALLOWED_HOSTS: 'localhost' });
      assert.equal(valid.status, 0, valid.stderr);
      const block = (service: string) => new RegExp(`^  ${service}:\\n([\\s\\S]*?)(?=^  \\S|^\\S)`, 'm').exec(valid.stdout)?.[1] ?? '';
      const text = readFileSync(file, 'utf8');
      assert.equal(text.match(/^ {4}ports:/gm)?.length, 2, 'the API, and the development mail catcher');
      assert.match(block('mailpit'), /profiles:\n {4}- dev\n/, 'the mail catcher runs only with the dev profile');
      assert.match(block('mailpit'), /- 127\.0\.0\.1:8025:8025/, 'and is published on loopback only');
      assert.match(valid.stdout, /TRUST_PROXY: '0'/);
      for (const service of ['api', 'db', 'mailpit', ...(args.includes('redis') ? ['redis'] : [])]) {
        for (const setting of ['read_only: true', 'cap_drop:', 'no-new-privileges:true', 'mem_limit:', 'pids_limit:']) {
          assert.ok(block(service).includes(setting), `${service}: ${setting}`);
        }
      }
    });
  }
});
