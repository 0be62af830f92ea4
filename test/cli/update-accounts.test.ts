import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, snapshot, tempDir } from '../support/cli.ts';
import { buildChangedGenerator, type ChangedGenerator } from '../support/generator-version.ts';

/**
 * A project made before accounts had email verification and password reset (the release at
 * PRE_ACCOUNTS, built from this repository's history) is brought up to date by `update`: the new
 * migration, the account routes and the mail files come in, and the result is what a fresh generation
 * makes from the same answers.
 */
const PRE_ACCOUNTS = '5288952';
const ROOT = new URL('../../', import.meta.url).pathname;
const run = (cmd: string, args: readonly string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } }).trim();
const inHistory = (() => {
  try {
    run('git', ['cat-file', '-e', `${PRE_ACCOUNTS}^{commit}`], ROOT);
    return true;
  } catch {
    return false;
  }
})();

/** The project's files without git's own. */
const files = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => !path.startsWith(`.git${sep}`)));

describe('update from a project generated before accounts', { skip: inHistory ? false : `commit ${PRE_ACCOUNTS} is not in this clone's history` }, () => {
  const root = mkdtempSync(join(tmpdir(), 'cse-update-accounts-'));
  let oldTarball = '';
  let oldBin = '';
  let changed: ChangedGenerator;
  before(() => {
    // The old release, as it was published: its sources from git, built and packed by its own scripts.
    const source = join(root, 'old');
    mkdirSync(source);
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${PRE_ACCOUNTS} | tar -x -C "${source}"`]);
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    oldTarball = join(root, run('npm', ['pack', '--silent', '--pack-destination', root], source).split('\n').pop() ?? '');
    run('npm', ['install', '--prefix', join(root, 'old-installed'), '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', oldTarball], root);
    oldBin = join(root, 'old-installed', 'node_modules', 'create-secure-express', 'bin', 'create-secure-express.js');
    changed = buildChangedGenerator(join(root, 'new'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const session of ['bearer', 'cookie']) {
    it(`brings the mail, the account routes and their migration into a ${session} project, which becomes what the new release generates`, (t) => {
      const cwd = tempDir(t);
      const made = runCli(['my-api', '--yes', '--no-install', '--session', session], { cwd, bin: oldBin });
      assert.equal(made.code, 0, made.stderr);
      const dir = join(cwd, 'my-api');
      assert.ok(!existsSync(join(dir, 'src/routes/accounts.ts')), 'the old release has no account routes');

      const updated = runCli(['update', '--base-generator', oldTarball], { cwd: dir, bin: changed.bin });
      assert.equal(updated.code, 0, updated.stderr);
      for (const path of ['src/routes/accounts.ts', 'src/mail/mailer.ts', 'src/mail/messages/verify-email.txt', 'src/mail/messages/reset-password.txt', 'src/auth/mail-tokens.ts', 'src/db/migrations/20261203120000_add_mail_tokens.ts']) {
        assert.ok(existsSync(join(dir, path)), `${path} came in`);
        assert.match(updated.stdout, new RegExp(`new\\s+${path.replaceAll('.', '\\.')}`), `${path} is listed as new`);
      }

      const fresh = tempDir(t);
      const generated = runCli(['my-api', '--yes', '--preset', join(dir, '.secure-express.json')], { cwd: fresh, bin: changed.bin });
      assert.equal(generated.code, 0, generated.stderr);
      assert.deepEqual(files(dir), files(join(fresh, 'my-api')));
    });
  }
});
