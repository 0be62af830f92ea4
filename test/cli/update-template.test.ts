import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { CLI_BIN, CLI_NODE, runCli, snapshot, tempDir } from '../support/cli.ts';
import { buildChangedGenerator, type ChangedGenerator } from '../support/generator-version.ts';
import { Terminal } from '../support/terminal.ts';

/**
 * `update` of a project made from a team template: a git repository with two tagged commits (v1, v2)
 * and a branch, `stable`, that starts at v1, served from a bare clone through a file:// URL. Both sides
 * are rendered by this generator in-process, except where a newer release is built too.
 */
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();
const commitAll = (dir: string, message: string) => (git(dir, 'add', '-A'), git(dir, 'commit', '--quiet', '-m', message));
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, '.secure-express.json'));
/** Text to match literally inside a RegExp. */
const quoted = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const files = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => !path.startsWith(`.git${sep}`)));

const RUNBOOK = (second: string) => ['# Runbook', second, 'Page the on-call engineer.', 'Check the dashboards.', 'Write the incident report.', ''].join('\n');

const V1 = {
  'secure-express.template.json': JSON.stringify({
    name: 'acme-api',
    requires: '>=0.1.0',
    defaults: { origins: ['https://app.acme.test'], trustProxy: 1 },
    locked: ['trustProxy', 'node'],
    questions: [{ name: 'ownerEmail', message: "Owning team's email", type: 'input', required: true }],
  }),
  'templates/CODEOWNERS.hbs': '* {{ownerEmail}}\n',
  'templates/VERSION': 'one\n',
  'templates/RUNBOOK.md': RUNBOOK('Escalate after 15 minutes.'),
  'templates/OLD.md': 'dropped in v2\n',
};

/** v2: a changed file and line, an added file, a removed file, a new question, a locked answer moved. */
const { 'templates/OLD.md': _dropped, ...KEPT } = V1;
const V2 = {
  ...KEPT,
  'secure-express.template.json': JSON.stringify({
    ...JSON.parse(V1['secure-express.template.json']),
    defaults: { origins: ['https://app.acme.test'], trustProxy: 2 },
    questions: [
      { name: 'ownerEmail', message: "Owning team's email", type: 'input', required: true },
      { name: 'team', message: 'Owning team', type: 'input', default: 'platform' },
    ],
  }),
  'templates/VERSION': 'two\n',
  'templates/RUNBOOK.md': RUNBOOK('Escalate after 5 minutes.'),
  'templates/TEAM.md.hbs': 'Team: {{team}}\n',
};

function writeTree(root: string, tree: Readonly<Record<string, string>>): void {
  rmSync(join(root, 'templates'), { recursive: true, force: true });
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const OWNER = ['--var', 'ownerEmail=platform@acme.test'];

describe('update of a project made from a team template', () => {
  const root = mkdtempSync(join(tmpdir(), 'cse-update-template-'));
  const bare = join(root, 'api-template.git');
  const url = `file://${bare}`;
  const commits = { v1: '', v2: '' };
  let changed: ChangedGenerator;

  before(() => {
    const work = join(root, 'api-template');
    mkdirSync(work);
    git(work, 'init', '--quiet');
    writeTree(work, V1);
    commitAll(work, 'v1');
    git(work, 'tag', 'v1');
    git(work, 'branch', 'stable');
    commits.v1 = git(work, 'rev-parse', 'HEAD');
    writeTree(work, V2);
    commitAll(work, 'v2');
    git(work, 'tag', 'v2');
    commits.v2 = git(work, 'rev-parse', 'HEAD');
    git(root, 'clone', '--quiet', '--bare', work, bare);
    changed = buildChangedGenerator(join(root, 'changed'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function makeProject(t: TestContext, ref: string): string {
    const cwd = tempDir(t);
    const made = runCli(['svc', '--yes', '--no-install', '--template', `${url}#${ref}`, ...OWNER], { cwd });
    assert.equal(made.code, 0, made.stderr);
    return join(cwd, 'svc');
  }

  function freshGeneration(t: TestContext, dir: string, bin?: string): Map<string, Buffer> {
    const cwd = tempDir(t);
    // In a folder of the project's name, which names it (a preset's own name is not reused).
    const fresh = runCli(['svc', '--yes', '--preset', join(dir, '.secure-express.json')], { cwd, ...(bin ? { bin } : {}) });
    assert.equal(fresh.code, 0, fresh.stderr);
    return files(join(cwd, 'svc'));
  }

  it('a project made at tag v1 updates --to v2, exactly as v2 generates it, and records v2', (t) => {
    const dir = makeProject(t, 'v1');
    const result = runCli(['update', '--to', 'v2', '--yes'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(record(dir).template, { source: url, name: 'acme-api', ref: 'v2', commit: commits.v2 });
    assert.deepEqual(files(dir), freshGeneration(t, dir));
    assert.equal(read(dir, 'VERSION'), 'two\n');
    assert.equal(read(dir, 'TEAM.md'), 'Team: platform\n', "the new question's default, with --yes");
    assert.ok(!existsSync(join(dir, 'OLD.md')), 'the file v2 dropped is gone');
    assert.equal(record(dir).answers.trustProxy, 2, 'a locked answer takes the new lock');
    assert.match(result.stdout, /--trust-proxy 1 → 2/);
    assert.match(result.stdout, /--var team \(new\) → platform/);
  });

  it('a tag stays where it is: without --to there is nothing to update', (t) => {
    const dir = makeProject(t, 'v1');
    const check = runCli(['update', '--check'], { cwd: dir });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /is up to date/);
  });

  it('follows its branch: --check says so, update takes the newest commit, then --check is satisfied', (t) => {
    const dir = makeProject(t, 'stable');
    git(root, '--git-dir', bare, 'update-ref', 'refs/heads/stable', commits.v2);
    t.after(() => git(root, '--git-dir', bare, 'update-ref', 'refs/heads/stable', commits.v1));
    const check = runCli(['update', '--check'], { cwd: dir });
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, new RegExp(`template +acme-api stable: ${commits.v1.slice(0, 12)} → ${commits.v2.slice(0, 12)}`));
    const result = runCli(['update', '--yes'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(record(dir).template, { source: url, name: 'acme-api', ref: 'stable', commit: commits.v2 });
    commitAll(dir, 'update');
    assert.equal(runCli(['update', '--check'], { cwd: dir }).code, 0);
  });

  it("merges an edit of a template's file with the template's change, and conflicts on the same line", (t) => {
    const elsewhere = makeProject(t, 'v1');
    writeFileSync(join(elsewhere, 'RUNBOOK.md'), read(elsewhere, 'RUNBOOK.md').replace('Check the dashboards.', 'Check the Grafana dashboards.'));
    commitAll(elsewhere, 'ours');
    const merged = runCli(['update', '--to', 'v2', '--var', 'team=payments'], { cwd: elsewhere });
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(read(elsewhere, 'RUNBOOK.md'), RUNBOOK('Escalate after 5 minutes.').replace('Check the dashboards.', 'Check the Grafana dashboards.'));
    assert.equal(read(elsewhere, 'TEAM.md'), 'Team: payments\n');

    const sameLine = makeProject(t, 'v1');
    writeFileSync(join(sameLine, 'RUNBOOK.md'), read(sameLine, 'RUNBOOK.md').replace('15 minutes', '10 minutes'));
    commitAll(sameLine, 'ours');
    const conflicted = runCli(['update', '--to', 'v2', '--yes'], { cwd: sameLine });
    assert.equal(conflicted.code, 1, conflicted.stderr);
    const [v1, v2] = [commits.v1.slice(0, 8), commits.v2.slice(0, 8)];
    assert.equal(
      read(sameLine, 'RUNBOOK.md'),
      RUNBOOK(
        [
          '<<<<<<< yours',
          'Escalate after 10 minutes.',
          `||||||| base create-secure-express ${record(sameLine).generator.version} + acme-api v1 (${v1})`,
          'Escalate after 15 minutes.',
          '=======',
          'Escalate after 5 minutes.',
          `>>>>>>> new create-secure-express ${record(sameLine).generator.version} + acme-api v2 (${v2})`,
        ].join('\n'),
      ),
    );
  });

  it("asks for a new question's answer: without a terminal, --var or --yes, it stops naming it", (t) => {
    const dir = makeProject(t, 'v1');
    const before = files(dir);
    const result = runCli(['update', '--to', 'v2'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no terminal to ask on: give --var team=<value>, or pass --yes/);
    assert.deepEqual(files(dir), before);
  });

  it("on a terminal, asks the new question, shows the plan and applies it after a yes", async (t) => {
    const dir = makeProject(t, 'v1');
    const term = Terminal.start([CLI_NODE, CLI_BIN, 'update', '--to', 'v2'], dir, {});
    t.after(() => term.close());
    await term.answer(/Owning team/, 'payments');
    const plan = await term.waitForQuestion(/Apply these changes\?/);
    assert.match(plan, /new +TEAM\.md/);
    assert.match(plan, /--var team \(new\) → payments/);
    await term.press('Enter');
    await term.waitFor(/__EXIT=0/);
    assert.equal(read(dir, 'TEAM.md'), 'Team: payments\n');
  });

  it('locked answers stay locked: a flag against the lock is refused', (t) => {
    const dir = makeProject(t, 'v1');
    const result = runCli(['update', '--to', 'v2', '--yes', '--trust-proxy', '1'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--trust-proxy: locked to 2 by template acme-api/);
  });

  it('--preset with --trust takes --template naming its source, and still makes the recorded commit', (t) => {
    const dir = makeProject(t, 'v1');
    const cwd = tempDir(t);
    const preset = join(dir, '.secure-express.json');
    const refused = runCli(['svc', '--yes', '--no-install', '--preset', preset, '--trust'], { cwd });
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.equal(refused.stderr, `error: --trust covers the template named by --template, not one a preset names: if you trust ${url}, add --template ${url}\n`);
    assert.deepEqual(readdirSync(cwd), []);
    const named = runCli(['svc', '--yes', '--no-install', '--preset', preset, '--template', url, '--trust'], { cwd });
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual(record(join(cwd, 'svc')).template, { source: url, name: 'acme-api', ref: 'v1', commit: commits.v1 });
    assert.deepEqual(files(join(cwd, 'svc')), files(dir));
  });

  it('a new generator release and a new template version at once: the old release rebuilds the base at the recorded commit, trusting the named template', (t) => {
    const dir = makeProject(t, 'v1');
    // With --trust, the old release is named the template too (as `<url>#<commit>`): it trusts no preset's.
    const trusted = ['--trust', '--template', url];
    const result = runCli(['update', '--to', 'v2', '--yes', ...trusted, '--base-generator', process.env.CSE_TARBALL ?? ''], { cwd: dir, bin: changed.bin });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(record(dir).generator.version, changed.version);
    assert.deepEqual(files(dir), freshGeneration(t, dir, changed.bin));
    assert.ok(existsSync(join(dir, changed.added)) && existsSync(join(dir, 'TEAM.md')));
  });

  it('a new generator release, and a template whose .npmrc stays as it was: the old release rebuilds the base without --trust', (t) => {
    const npmrc = 'registry=http://127.0.0.1:9/\n';
    const v1 = { ...V1, 'templates/_npmrc': npmrc };
    const { work, dir } = projectFromTemplate(t, v1, ['--trust']);
    writeTree(work, { ...v1, 'templates/VERSION': 'two\n' });
    commitAll(work, 'v2');
    const result = runCli(['update', '--yes', '--base-generator', process.env.CSE_TARBALL ?? ''], { cwd: dir, bin: changed.bin });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(record(dir).generator.version, changed.version);
    assert.equal(read(dir, 'VERSION'), 'two\n');
    assert.equal(read(dir, '.npmrc'), npmrc);
  });
});

/** A template repository at V1 (or `tree`, one commit) and a project `svc` made from it (with `--trust` when given). */
function projectFromTemplate(t: TestContext, tree: Readonly<Record<string, string>> = V1, trust: string[] = []): { work: string; dir: string } {
  const work = tempDir(t, 'cse-template-');
  writeTree(work, tree);
  git(work, 'init', '--quiet');
  commitAll(work, 'v1');
  const cwd = tempDir(t);
  const made = runCli(['svc', '--yes', '--no-install', '--template', `file://${work}`, ...trust, ...OWNER], { cwd });
  assert.equal(made.code, 0, made.stderr);
  return { work, dir: join(cwd, 'svc') };
}

describe('update of a record edited to show what it should not', () => {
  const EDITS = [
    { field: 'name', value: 'acme-api\u001b]0;pwned\u0007', expected: "a template manifest's name" },
    { field: 'commit', value: '\u001b[2J\u001b[H0123456789abcdef', expected: 'a commit hash' },
    { field: 'source', value: 'https://example.test/api-template.git\u001b]0;pwned\u0007', expected: '"built-in" or where the team template came from' },
  ] as const;
  for (const { field, value, expected } of EDITS) {
    it(`refuses a terminal escape in template.${field}, in one line, even for --check`, (t) => {
      const { dir } = projectFromTemplate(t);
      const edited = record(dir);
      edited.template[field] = value;
      writeFileSync(join(dir, '.secure-express.json'), JSON.stringify(edited, null, 2));
      commitAll(dir, 'an edited record');
      const result = runCli(['update', '--check'], { cwd: dir });
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`field "template\\.${field}" must be ${expected}; restore it from git\\n$`));
      assert.doesNotMatch(result.stdout + result.stderr, /\u001b/);
    });
  }
});

describe('update of a record made before credentials were kept out of it', () => {
  it('does not echo the token of its recorded URL when the repository cannot be reached', (t) => {
    const { dir } = projectFromTemplate(t);
    const old = record(dir);
    old.template.source = 'https://x-access-token:s3cret-token-9a2e@127.0.0.1:9/api-template.git';
    writeFileSync(join(dir, '.secure-express.json'), JSON.stringify(old, null, 2));
    commitAll(dir, 'a record with a token, as the generator wrote it before this fix');
    const result = runCli(['update', '--check'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /template https:\/\/127\.0\.0\.1:9\/api-template\.git: cannot reach/);
    assert.doesNotMatch(result.stdout + result.stderr, /s3cret-token-9a2e/);
  });
});

describe('update to a template version that writes into .git', () => {
  it("refuses it: the project's hooks stay git's own, and nothing changes", (t) => {
    const { work, dir } = projectFromTemplate(t);
    writeTree(work, { ...V1, 'templates/_git/hooks/post-checkout': '#!/bin/sh\necho ran\n' });
    commitAll(work, 'v2 with a hook');
    const before = snapshot(dir);
    const result = runCli(['update'], { cwd: dir });
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /\.git\/hooks\/post-checkout \(from template:acme-api\) would be written into the repository's \.git folder/);
    assert.ok(!existsSync(join(dir, '.git', 'hooks', 'post-checkout')));
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('update --trust trusts the template named on the command line, not the one the record names', () => {
  /** The next version of a template, with a plopfile that leaves a mark when it is loaded. */
  const withPlopfile = (marker: string) => ({
    ...V1,
    'plopfile.js': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, '');\nexport default function () {}\n`,
    'templates/VERSION': 'two\n',
  });

  it('refuses a record whose template.source a pull request pointed elsewhere: nothing runs, nothing changes', (t) => {
    const { work, dir } = projectFromTemplate(t);
    // Another repository holding the project's commit, and one more with a plopfile.
    const elsewhere = tempDir(t, 'cse-elsewhere-');
    git(elsewhere, 'clone', '--quiet', work, '.');
    const marker = join(tempDir(t, 'cse-marker-'), 'loaded');
    writeTree(elsewhere, withPlopfile(marker));
    commitAll(elsewhere, 'a plopfile');
    const edited = record(dir);
    edited.template.source = `file://${elsewhere}`;
    writeFileSync(join(dir, '.secure-express.json'), JSON.stringify(edited, null, 2));
    commitAll(dir, 'a pull request that changes template.source only');
    const before = snapshot(dir);

    const result = runCli(['update', '--trust', '--yes'], { cwd: dir });
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, new RegExp(`^error: --trust covers the template named by --template, not the one \\.secure-express\\.json names \\(a file anyone can edit\\): if you trust ${quoted(edited.template.source)}, add --template ${quoted(edited.template.source)}\n$`));
    // Naming the template the job trusts does not let the edited record through either.
    const named = runCli(['update', '--trust', '--yes', '--template', `file://${work}`], { cwd: dir });
    assert.equal(named.code, 2, named.stdout + named.stderr);
    assert.match(named.stderr, new RegExp(`^error: --template ${quoted(`file://${work}`)} is not the project's template: \\.secure-express\\.json records ${quoted(edited.template.source)} \\(if that was not you, restore the file from git\\)\n$`));
    assert.ok(!existsSync(marker), 'the plopfile was never loaded');
    assert.deepEqual(snapshot(dir), before);
  });

  it('runs the plopfile of the template --template names when it is the recorded one', (t) => {
    const { work, dir } = projectFromTemplate(t);
    const marker = join(tempDir(t, 'cse-marker-'), 'loaded');
    writeTree(work, withPlopfile(marker));
    commitAll(work, 'v2 with a plopfile');
    const check = runCli(['update', '--check'], { cwd: dir });
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, new RegExp(`Run create-secure-express update --trust --template ${quoted(`file://${work}`)} to apply it, if you trust the template: the template has a plopfile \\(code that would run here\\)\\.\n$`));
    assert.ok(!existsSync(marker), '--check loads no plopfile');
    const untrusted = runCli(['update', '--yes'], { cwd: dir });
    assert.equal(untrusted.code, 2, untrusted.stdout + untrusted.stderr);
    assert.match(untrusted.stderr, new RegExp(`has a plopfile \\(code that would run here\\): pass --trust --template ${quoted(`file://${work}`)} to run it`));
    assert.ok(!existsSync(marker));
    const trusted = runCli(['update', '--trust', '--yes', '--template', `file://${work}`], { cwd: dir });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.ok(existsSync(marker), 'trusted, it ran');
    assert.equal(read(dir, 'VERSION'), 'two\n');
    assert.equal(record(dir).template.source, `file://${work}`);
  });
});

describe('update of a template version that writes package-manager settings', () => {
  const REGISTRY = 'registry=http://127.0.0.1:9/\n';
  const refusal = (url: string, files: string) =>
    `error: template acme-api (${url}) would write ${files}, package-manager settings the install would obey: pass --trust --template ${url} to write them, if you trust it\n`;

  const ADDED = [
    { file: 'templates/_npmrc', written: '.npmrc' },
    { file: 'templates/_yarn/plugins/registry.cjs', written: '.yarn/plugins/registry.cjs' },
  ];
  for (const { file, written } of ADDED) {
    it(`refuses a version that adds ${written} without trust (--check says what to pass); --trust --template writes it`, (t) => {
      const { work, dir } = projectFromTemplate(t);
      const url = `file://${work}`;
      writeTree(work, { ...V1, [file]: REGISTRY, 'templates/VERSION': 'two\n' });
      commitAll(work, `v2 adds ${written}`);
      const before = snapshot(dir);

      const check = runCli(['update', '--check'], { cwd: dir });
      assert.equal(check.code, 1, check.stdout + check.stderr);
      assert.match(check.stdout, new RegExp(`Run create-secure-express update --trust --template ${quoted(url)} to apply it, if you trust the template: its new version adds or changes ${quoted(written)} \\(package-manager settings the install would obey\\)\\.\n$`));
      for (const args of [['--yes'], ['--yes', '--dry-run']]) {
        const refused = runCli(['update', ...args], { cwd: dir });
        assert.equal(refused.code, 2, refused.stdout + refused.stderr);
        assert.equal(refused.stderr, refusal(url, `${written} (new)`));
      }
      assert.deepEqual(snapshot(dir), before);

      const trusted = runCli(['update', '--yes', '--trust', '--template', url], { cwd: dir });
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.equal(read(dir, written), REGISTRY);
      assert.equal(read(dir, 'VERSION'), 'two\n');
    });
  }

  /** A project made, trusted, from a template with an .npmrc; the next version changes VERSION, and .npmrc as `npmrc` says. */
  const CASES = [
    { name: 'leaves .npmrc as it was: no trust needed', npmrc: REGISTRY, yours: undefined, refused: undefined },
    { name: 'changes .npmrc you never touched: refused', npmrc: 'registry=http://127.0.0.1:8/\n', yours: undefined, refused: '.npmrc (updated)' },
    { name: 'changes .npmrc you changed too: the merge is refused', npmrc: `${REGISTRY}ignore-scripts=false\n`, yours: `save-exact=true\n${REGISTRY}`, refused: '.npmrc (merged)' },
    { name: 'changes .npmrc you deleted: it stays deleted, no trust needed', npmrc: 'registry=http://127.0.0.1:8/\n', yours: null, refused: undefined },
  ] as const;
  for (const { name, npmrc, yours, refused } of CASES) {
    it(`a version that ${name}`, (t) => {
      const v1 = { ...V1, 'templates/_npmrc': REGISTRY };
      const { work, dir } = projectFromTemplate(t, v1, ['--trust']);
      const url = `file://${work}`;
      if (yours !== undefined) {
        if (yours === null) rmSync(join(dir, '.npmrc'));
        else writeFileSync(join(dir, '.npmrc'), yours);
        commitAll(dir, 'yours');
      }
      writeTree(work, { ...v1, 'templates/_npmrc': npmrc, 'templates/VERSION': 'two\n' });
      commitAll(work, 'v2');
      const before = snapshot(dir);
      const result = runCli(['update', '--yes'], { cwd: dir });
      if (refused) {
        assert.equal(result.code, 2, result.stdout + result.stderr);
        assert.equal(result.stderr, refusal(url, refused));
        assert.deepEqual(snapshot(dir), before);
      } else {
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.equal(read(dir, 'VERSION'), 'two\n');
        assert.equal(existsSync(join(dir, '.npmrc')) ? read(dir, '.npmrc') : null, yours === null ? null : REGISTRY);
      }
    });
  }

  it('on a terminal, names the file and writes nothing unless the answer is yes', async (t) => {
    const { work, dir } = projectFromTemplate(t);
    writeTree(work, { ...V1, 'templates/_npmrc': REGISTRY });
    commitAll(work, 'v2 adds .npmrc');
    const before = snapshot(dir);
    const declined = Terminal.start([CLI_NODE, CLI_BIN, 'update'], dir, {});
    t.after(() => declined.close());
    const asked = await declined.waitForQuestion(/Write the package-manager settings of /);
    assert.match(asked, /would write \.npmrc \(new\): package-manager settings the install would obey/);
    await declined.press('Enter');
    await declined.waitFor(/__EXIT=130/);
    assert.deepEqual(snapshot(dir), before);
    const accepted = Terminal.start([CLI_NODE, CLI_BIN, 'update'], dir, {});
    t.after(() => accepted.close());
    await accepted.answer(/Write the package-manager settings of /, 'y');
    await accepted.answer(/Apply these changes\?/, 'y');
    await accepted.waitFor(/__EXIT=0/);
    assert.equal(read(dir, '.npmrc'), REGISTRY);
  });
});

describe('update of a template whose server stops answering', () => {
  it('gives git the time CREATE_SECURE_EXPRESS_GIT_TIMEOUT sets, then stops it, naming the source and the limit', async (t) => {
    const { dir } = projectFromTemplate(t);
    const server = createServer((socket) => socket.resume()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api-template.git`;
    const moved = record(dir);
    moved.template.source = url;
    writeFileSync(join(dir, '.secure-express.json'), JSON.stringify(moved, null, 2));
    commitAll(dir, 'the template moved to a server that accepts and never answers');
    const before = snapshot(dir);
    const result = runCli(['update', '--yes'], { cwd: dir, env: { CREATE_SECURE_EXPRESS_GIT_TIMEOUT: '1' } });
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.equal(result.stderr, `error: fetching ${url} took longer than 1 s, so git was stopped (CREATE_SECURE_EXPRESS_GIT_TIMEOUT sets the limit, in seconds)\n`);
    assert.deepEqual(snapshot(dir), before);
  });
});
