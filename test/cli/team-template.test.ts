import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CLI_BIN, CLI_NODE, QUICK, runCli, snapshot, tempDir } from '../support/cli.ts';

/** Team templates from real git repositories: a work tree with commits and a tag, cloned bare as the remote. */
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();

const MANIFEST = {
  name: 'acme-api',
  requires: '>=0.1.0',
  defaults: { origins: ['https://app.acme.test'], trustProxy: 1 },
  locked: ['trustProxy', 'node'],
  remove: ['.env.example', 'Dockerfile'],
  questions: [{ name: 'ownerEmail', message: "Owning team's email", type: 'input', pattern: '^[^@\\s]+@[^@\\s]+$', required: true }],
};

function writeTree(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A template repository: v1 (tagged), then a second commit on main. Returns its bare remote and commits. */
function templateRepository(t: TestContext) {
  const work = tempDir(t, 'cse-template-');
  writeTree(work, {
    'secure-express.template.json': JSON.stringify(MANIFEST, null, 2),
    'templates/CODEOWNERS.hbs': '* {{ownerEmail}}\n',
    'templates/VERSION': 'one\n',
  });
  git(work, 'init', '--quiet');
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'v1');
  git(work, 'tag', 'v1');
  const first = git(work, 'rev-parse', 'HEAD');
  writeTree(work, { 'templates/VERSION': 'two\n' });
  git(work, 'commit', '--quiet', '-am', 'v2');
  git(work, 'branch', 'next');
  const second = git(work, 'rev-parse', 'HEAD');
  const bare = `${work}.git`;
  git(dirname(work), 'clone', '--quiet', '--bare', work, bare);
  t.after(() => execFileSync('rm', ['-rf', bare]));
  return { work, url: `file://${bare}`, first, second };
}

const OWNER = ['--var', 'ownerEmail=platform@acme.test'];
const answersFile = (dir: string) => JSON.parse(readFileSync(join(dir, '.secure-express.json'), 'utf8'));

describe('team templates', () => {
  for (const [label, ref, version] of [['a tag', 'v1', 'one'], ['a branch', 'next', 'two'], ['a commit', 'first', 'one']] as const) {
    it(`generates from a file:// git URL at ${label}, and records the source and commit`, (t) => {
      const repo = templateRepository(t);
      const cwd = tempDir(t);
      const tmp = tempDir(t, 'cse-tmp-');
      const at = ref === 'first' ? repo.first : ref;
      const result = runCli(['svc', ...QUICK, '--template', `${repo.url}#${at}`, ...OWNER], { cwd, env: { TMPDIR: tmp } });
      assert.equal(result.code, 0, result.stderr);
      const target = join(cwd, 'svc');
      assert.equal(readFileSync(join(target, 'VERSION'), 'utf8'), `${version}\n`);
      assert.equal(readFileSync(join(target, 'CODEOWNERS'), 'utf8'), '* platform@acme.test\n');
      assert.ok(!existsSync(join(target, '.env.example')), 'the template removed a built-in file');
      assert.equal(answersFile(target).answers.docker, false, 'removing the Dockerfile turned docker off');
      assert.ok(!existsSync(join(target, '.dockerignore')), 'and the rest of the docker feature with it');
      assert.doesNotMatch(readFileSync(join(target, 'README.md'), 'utf8'), /docker build/, 'the README does not document what is not there');
      const file = answersFile(target);
      assert.equal(file.template.source, repo.url);
      assert.equal(file.template.name, 'acme-api');
      assert.equal(file.template.commit, version === 'one' ? repo.first : repo.second);
      assert.deepEqual(file.answers.origins, ['https://app.acme.test']);
      assert.equal(file.answers.trustProxy, 1);
      assert.deepEqual(file.vars, { ownerEmail: 'platform@acme.test' });
      assert.deepEqual(readdirSync(tmp), [], 'the clone and the staging folder are gone');
    });
  }

  it('reproduces a project from its .secure-express.json alone, at the recorded commit, byte for byte', (t) => {
    const repo = templateRepository(t);
    const cwd = tempDir(t);
    assert.equal(runCli(['first', ...QUICK, '--template', `${repo.url}#v1`, ...OWNER, '--port', '8080'], { cwd }).code, 0);
    const again = runCli(['second', '--no-install', '--no-git', '--preset', 'first/.secure-express.json', '--name', 'first'], { cwd });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(snapshot(join(cwd, 'second')), snapshot(join(cwd, 'first')));
  });

  it("refuses a preset whose template.source holds a terminal escape, before fetching or showing it", (t) => {
    const cwd = tempDir(t);
    const preset = { template: { source: `${tempDir(t, 'cse-template-')}\u001b]0;pwned\u0007` }, answers: {} };
    writeFileSync(join(cwd, 'preset.json'), JSON.stringify(preset));
    const result = runCli(['svc', ...QUICK, '--preset', 'preset.json'], { cwd });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, 'error: --preset: field "template.source" must be "built-in" or where the team template came from\n');
    assert.deepEqual(readdirSync(cwd), ['preset.json']);
  });

  it('a local folder works too', (t) => {
    const repo = templateRepository(t);
    const cwd = tempDir(t);
    const result = runCli(['svc', ...QUICK, '--template', repo.work, ...OWNER], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(answersFile(join(cwd, 'svc')).template.source, repo.work);
  });

  const REFUSED: readonly { name: string; args: (url: string) => string[]; message: RegExp }[] = [
    { name: 'a flag against a locked answer', args: (url) => ['--template', url, ...OWNER, '--trust-proxy', '2'], message: /--trust-proxy: locked to 1 by template acme-api/ },
    { name: 'a locked answer at its built-in default', args: (url) => ['--template', url, ...OWNER, '--node', '22'], message: /--node: locked to 24 by template acme-api/ },
    { name: 'a missing required question without a terminal', args: (url) => ['--template', url], message: /--var ownerEmail=<value> has no default/ },
    { name: 'a --var the template does not ask', args: (url) => ['--template', url, ...OWNER, '--var', 'team=x'], message: /--var team: the template asks no such question \(it asks: ownerEmail\)/ },
    {
      name: 'a --var that fails the question\'s pattern, in words rather than the regex',
      args: (url) => ['--template', url, '--var', 'ownerEmail=nobody'],
      message: /--var ownerEmail: "nobody" is not accepted: expected an answer in the form the template expects for "Owning team's email"\n/,
    },
    {
      // The pattern (no space, one @) lets a terminal escape through: it would be shown raw in the summary.
      name: 'a --var with control characters',
      args: (url) => ['--template', url, '--var', 'ownerEmail=ops\u001b]0;pwned\u0007@acme.test'],
      message: /--var ownerEmail: "ops\\u001b\]0;pwned\\u0007@acme\.test" is not accepted: expected one line of text, without control characters/,
    },
    { name: 'a flag for an answer the template\'s remove turned off', args: (url) => ['--template', url, ...OWNER, '--docker'], message: /--docker: locked to no by template acme-api \(it removes Dockerfile\)/ },
    { name: 'an unknown ref', args: (url) => ['--template', `${url}#no-such-branch`, ...OWNER], message: /unknown ref "no-such-branch"/ },
    { name: 'a ref that git would read as an option', args: (url) => ['--template', `${url}#--upload-pack`, ...OWNER], message: /"--upload-pack" is not a branch, tag or commit/ },
    { name: 'an unreachable repository', args: () => ['--template', 'file:///nonexistent/repo.git', ...OWNER], message: /cannot reach file:\/\/\/nonexistent\/repo\.git/ },
    { name: 'a folder that does not exist', args: () => ['--template', './nowhere', ...OWNER], message: /is not a folder or a git URL/ },
    { name: '--var without a template', args: () => OWNER, message: /--var answers a team template's question: give --template too/ },
  ];
  for (const { name, args, message } of REFUSED) {
    it(`refuses ${name}: one line, exit 2, nothing written`, (t) => {
      const repo = templateRepository(t);
      const cwd = tempDir(t);
      const tmp = tempDir(t, 'cse-tmp-');
      const result = runCli(['svc', ...QUICK, ...args(repo.url)], { cwd, env: { TMPDIR: tmp } });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.deepEqual(readdirSync(cwd), []);
      assert.deepEqual(readdirSync(tmp), []);
    });
  }
});

describe('credentials in a git URL', () => {
  // git rewrites the URL to the local remote (url.<base>.insteadOf), as a company mirror would: the
  // fetch succeeds with the URL as typed, credentials and all.
  const TOKEN = 's3cret-token-6f1c';
  const insteadOf = (remote: string, url: string) => ({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `url.${remote}.insteadOf`, GIT_CONFIG_VALUE_0: url });
  for (const [label, url] of [
    ['a user and a token', `https://x-access-token:${TOKEN}@git.acme.test/platform/api-template.git`],
    ['a token as the user name', `https://${TOKEN}@git.acme.test/platform/api-template.git`],
  ] as const) {
    it(`are used to fetch, but never shown or recorded: ${label}`, (t) => {
      const repo = templateRepository(t);
      const cwd = tempDir(t);
      const result = runCli(['svc', ...QUICK, '--template', `${url}#v1`, ...OWNER], { cwd, env: insteadOf(repo.url, url) });
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(TOKEN));
      const recorded = answersFile(join(cwd, 'svc')).template;
      assert.deepEqual(recorded, { source: 'https://git.acme.test/platform/api-template.git', name: 'acme-api', ref: 'v1', commit: repo.first });
      const holding = [...snapshot(join(cwd, 'svc'))].filter(([, bytes]) => bytes.includes(TOKEN)).map(([path]) => path);
      assert.deepEqual(holding, [], 'no generated file holds the token');
    });
  }

  it('are not echoed when the repository cannot be reached', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['svc', ...QUICK, '--template', `https://x-access-token:${TOKEN}@127.0.0.1:9/api-template.git`, ...OWNER], { cwd });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /cannot reach https:\/\/127\.0\.0\.1:9\/api-template\.git/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(TOKEN));
  });
});

describe('links out of a template', () => {
  // What a link may reach on the machine that runs the generator: a key, or the password file.
  const SECRET = 'aws_secret_access_key = s3cret-outside-template';
  const LINKED = [
    { name: 'templates/', link: 'templates', to: (outside: string) => outside },
    { name: 'the manifest', link: 'secure-express.template.json', to: (outside: string) => join(outside, 'credentials') },
  ] as const;
  for (const { name, link, to } of LINKED) {
    for (const via of ['a git repository', 'a local folder'] as const) {
      it(`refuses ${name} as a symbolic link, from ${via}: nothing of what it points at is read or written`, (t) => {
        const outside = tempDir(t, 'cse-outside-');
        writeFileSync(join(outside, 'credentials'), `${SECRET}\n`);
        const work = tempDir(t, 'cse-template-');
        writeTree(work, { 'secure-express.template.json': JSON.stringify({ name: 'linked' }), 'templates/VERSION': 'one\n' });
        execFileSync('rm', ['-rf', join(work, link)]);
        symlinkSync(to(outside), join(work, link));
        git(work, 'init', '--quiet');
        git(work, 'add', '-A');
        git(work, 'commit', '--quiet', '-m', 'linked');
        const source = via === 'a local folder' ? work : `file://${work}`;
        const cwd = tempDir(t);
        const result = runCli(['svc', ...QUICK, '--template', source], { cwd });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`${link.replace('.', '\\.')} is a symbolic link; a template's manifest, templates/ and plopfile must be its own files`));
        assert.doesNotMatch(result.stdout + result.stderr, /s3cret-outside-template/);
        assert.deepEqual(readdirSync(cwd), []);
      });
    }
  }
});

describe('what a team template says about itself', () => {
  it('the summary names the template, marks its locks with their reasons, and takes its defaults', (t) => {
    const repo = templateRepository(t);
    const result = runCli(['svc', ...QUICK, '--template', repo.url, ...OWNER, '--dry-run'], { cwd: tempDir(t) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Project svc from template acme-api$/m);
    assert.match(result.stdout, /^ {2}trust-proxy +1 +locked by acme-api$/m);
    assert.match(result.stdout, /^ {2}node +24 +locked by acme-api$/m);
    assert.match(result.stdout, /^ {2}docker +no +locked by acme-api: it removes Dockerfile$/m);
    assert.match(result.stdout, /^ {2}origins +https:\/\/app\.acme\.test +team default$/m);
    assert.match(result.stdout, /^ {2}ownerEmail +platform@acme\.test +flag$/m);
  });

  it('a question\'s own words say what its pattern accepts', (t) => {
    const dir = tempDir(t, 'cse-template-');
    const question = { ...MANIFEST.questions[0], expected: 'an email address, such as orders@acme.test' };
    writeTree(dir, { 'secure-express.template.json': JSON.stringify({ ...MANIFEST, questions: [question] }) });
    const result = runCli(['svc', ...QUICK, '--template', dir, '--var', 'ownerEmail=nobody'], { cwd: tempDir(t) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: --var ownerEmail: "nobody" is not accepted: expected an email address, such as orders@acme\.test\n$/);
  });
});

describe('template manifests', () => {
  const BAD_MANIFESTS: readonly { field: string; change: Record<string, unknown>; message: RegExp }[] = [
    { field: 'name', change: { name: 'Acme API' }, message: /name: must match/ },
    { field: 'name (missing)', change: { name: undefined }, message: /name: is required/ },
    { field: 'an unknown field', change: { colour: 'red' }, message: /colour: is not a known field/ },
    { field: 'defaults (unknown answer)', change: { defaults: { proxy: 1 } }, message: /defaults\.proxy \(name\): "proxy" is not one of/ },
    { field: 'defaults (bad value)', change: { defaults: { trustProxy: 'true' } }, message: /defaults\.trustProxy: "true" is not accepted: expected an integer from 0 to 10/ },
    { field: 'defaults (wildcard origin)', change: { defaults: { origins: ['*'] } }, message: /defaults\.origins: .*wildcards/ },
    { field: 'locked (unknown answer)', change: { locked: ['proxyHops'] }, message: /locked\[0\]: "proxyHops" is not one of/ },
    { field: 'locked (not a list)', change: { locked: 'node' }, message: /locked: must be an array/ },
    { field: 'remove (escaping path)', change: { remove: ['../etc/passwd'] }, message: /remove\[0\]: must match/ },
    { field: 'remove (the record)', change: { remove: ['.secure-express.json'] }, message: /remove\[0\]: "\.secure-express\.json" is made by the generator, not a built-in template file; it cannot be removed/ },
    { field: 'remove (package.json)', change: { remove: ['Dockerfile', 'package.json'] }, message: /remove\[1\]: "package\.json" is made by the generator/ },
    { field: 'questions (no message)', change: { questions: [{ name: 'team' }] }, message: /questions\[0\]\.message: is required/ },
    { field: 'questions (built-in name)', change: { questions: [{ name: 'port', message: 'Port?' }] }, message: /questions\[0\]\.name: "port" is a built-in answer/ },
    { field: 'questions (bad type)', change: { questions: [{ name: 'team', message: 'Team?', type: 'editor' }] }, message: /questions\[0\]\.type: "editor" is not one of/ },
    { field: 'questions (a terminal escape in the message)', change: { questions: [{ name: 'team', message: 'Team?\u001b[2J' }] }, message: /questions\[0\]\.message: must match/ },
    { field: 'questions (a newline in the default)', change: { questions: [{ name: 'team', message: 'Team?', default: 'a\nNODE_OPTIONS=x' }] }, message: /questions\[0\]\.default: must not hold control characters/ },
    { field: 'questions (select without choices)', change: { questions: [{ name: 'team', message: 'Team?', type: 'select' }] }, message: /questions\[0\]\.choices: a select question needs choices/ },
    { field: 'defaults (docker on, Dockerfile removed)', change: { defaults: { docker: true } }, message: /defaults\.docker: true contradicts remove: "Dockerfile"/ },
    { field: 'requires (unmet)', change: { requires: '>=99.0.0' }, message: /requires: the template needs create-secure-express >=99\.0\.0; this is / },
    { field: 'requires (not a range)', change: { requires: 'latest' }, message: /requires: "latest" is not a semver range/ },
  ];
  for (const { field, change, message } of BAD_MANIFESTS) {
    it(`refuses a manifest with a bad ${field}, naming it`, (t) => {
      const dir = tempDir(t, 'cse-template-');
      writeTree(dir, { 'secure-express.template.json': JSON.stringify({ ...MANIFEST, ...change }) });
      const cwd = tempDir(t);
      const result = runCli(['svc', ...QUICK, '--template', dir, ...OWNER], { cwd });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^error: --template .*: invalid secure-express\.template\.json: /);
      assert.match(result.stderr, message);
      assert.deepEqual(readdirSync(cwd), []);
    });
  }

  const ODD_TREES: readonly { name: string; make: (dir: string) => void; message: RegExp }[] = [
    { name: 'a templates that is a file', make: (dir) => writeFileSync(join(dir, 'templates'), 'x'), message: /templates is not a folder; it holds the files to render/ },
    { name: 'a FIFO in templates/', make: (dir) => (mkdirSync(join(dir, 'templates')), execFileSync('mkfifo', [join(dir, 'templates', 'pipe')])), message: /cannot copy it: .*FIFO/ },
  ];
  for (const { name, make, message } of ODD_TREES) {
    it(`refuses ${name} in one line, exit 2, not as an unexpected failure`, (t) => {
      const dir = tempDir(t, 'cse-template-');
      writeTree(dir, { 'secure-express.template.json': JSON.stringify({ name: 'odd' }) });
      make(dir);
      const cwd = tempDir(t);
      const result = runCli(['svc', ...QUICK, '--template', dir], { cwd });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.deepEqual(readdirSync(cwd), []);
    });
  }

  it('refuses a folder without a manifest', (t) => {
    const dir = tempDir(t, 'cse-template-');
    const result = runCli(['svc', ...QUICK, '--template', dir], { cwd: tempDir(t) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no secure-express\.template\.json at its top level/);
  });

  // git runs what a template would put in .git at the generator's own first commit (or a later checkout).
  for (const path of ['templates/_git/hooks/post-commit', 'templates/_GIT/hooks/post-commit']) {
    it(`refuses ${path}, which git would run: nothing written, nothing run, even with --trust`, (t) => {
      const dir = tempDir(t, 'cse-template-');
      const marker = join(tempDir(t, 'cse-marker-'), 'ran');
      writeTree(dir, { 'secure-express.template.json': JSON.stringify({ name: 'hooks' }), [path]: `#!/bin/sh\ntouch ${marker}\n` });
      chmodSync(join(dir, path), 0o755);
      const cwd = tempDir(t);
      for (const trust of [[], ['--trust']]) {
        const result = runCli(['svc', '--yes', '--no-install', '--template', dir, ...trust], { cwd });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /^error: \.git\/hooks\/post-commit \(from template:hooks\) would be written into the repository's \.git folder/i);
        assert.ok(!existsSync(marker), 'the hook did not run');
        assert.deepEqual(readdirSync(cwd), []);
      }
    });
  }

  it('refuses a template file whose name holds a terminal escape, rather than listing it raw', (t) => {
    const dir = tempDir(t, 'cse-template-');
    writeTree(dir, { 'secure-express.template.json': JSON.stringify({ name: 'names' }), 'templates/evil\u001b]0;pwned\u0007.txt': '' });
    const cwd = tempDir(t);
    const result = runCli(['svc', ...QUICK, '--template', dir, '--dry-run'], { cwd });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: "evil\\u001b\]0;pwned\\u0007\.txt" \(from template:names\): a file name with control characters; rename it\n$/);
    assert.doesNotMatch(result.stdout + result.stderr, /\u001b/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('runs a plopfile only with --trust, and then its helpers reach the templates', (t) => {
    const dir = tempDir(t, 'cse-template-');
    // The plopfile leaves a mark when it is loaded: refused, it must not have been loaded at all.
    const marker = join(tempDir(t, 'cse-marker-'), 'loaded');
    writeTree(dir, {
      'secure-express.template.json': JSON.stringify({ name: 'helpers' }),
      'plopfile.js': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, '');\nexport default function (plop) { plop.setHelper('shout', (text) => String(text).toUpperCase()); }\n`,
      'templates/SHOUT.md.hbs': '{{shout name}}\n',
    });
    const cwd = tempDir(t);
    const refused = runCli(['svc', ...QUICK, '--template', dir], { cwd });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /has a plopfile \(code that would run here\): pass --trust to use it/);
    assert.deepEqual(readdirSync(cwd), []);
    assert.ok(!existsSync(marker), 'the plopfile was not loaded');
    const trusted = runCli(['svc', ...QUICK, '--template', dir, '--trust'], { cwd });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.ok(existsSync(marker), 'trusted, it was');
    assert.equal(readFileSync(join(cwd, 'svc', 'SHOUT.md'), 'utf8'), 'SVC\n');
  });

  for (const [file, content] of [
    ['templates/_npmrc', 'registry=http://127.0.0.1:9/\n'],
    ['templates/_yarnrc.yml', 'npmRegistryServer: "http://127.0.0.1:9/"\n'],
    ['templates/_pnpmfile.cjs', 'module.exports = {};\n'],
    // bun install loads .env: it names bun's registry as surely as .npmrc names npm's.
    ['templates/_env', 'BUN_CONFIG_REGISTRY=http://127.0.0.1:9/\n'],
  ] as const) {
    it(`treats ${file} as code: package-manager settings the install would obey need --trust`, (t) => {
      const dir = tempDir(t, 'cse-template-');
      writeTree(dir, { 'secure-express.template.json': JSON.stringify({ name: 'settings' }), [file]: content });
      const cwd = tempDir(t);
      const shown = file.replace('templates/_', '.');
      // Refused before anything is written or installed, as a preset naming the template would be too.
      const refused = runCli(['svc', '--yes', '--no-git', '--template', dir], { cwd });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, new RegExp(`has ${shown.replaceAll('.', '\\.')} \\(package-manager settings the install would obey\\): pass --trust to use it`));
      assert.deepEqual(readdirSync(cwd), []);
      writeFileSync(join(cwd, 'preset.json'), JSON.stringify({ template: { source: dir }, answers: {} }));
      const viaPreset = runCli(['svc', '--yes', '--no-git', '--preset', 'preset.json'], { cwd });
      assert.equal(viaPreset.code, 2);
      assert.deepEqual(readdirSync(cwd), ['preset.json']);
      const trusted = runCli(['svc', ...QUICK, '--template', dir, '--trust'], { cwd });
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.ok(readdirSync(join(cwd, 'svc')).includes(shown));
    });
  }
});

describe('a team template too large to read, or a server too slow to answer', () => {
  const SIZES = [
    { what: 'a 2 GiB file in templates/', path: 'templates/big.bin', size: '2G', message: 'templates/big.bin is 2 GiB (2147483648 bytes); a template file may be at most 10 MiB' },
    { what: 'a manifest of 257 KiB', path: 'secure-express.template.json', size: '257K', message: 'secure-express.template.json is 257 KiB (263168 bytes); the manifest may be at most 256 KiB' },
  ] as const;
  for (const { what, path, size, message } of SIZES) {
    it(`refuses ${what} (sparse: nothing is read) from a local folder, before copying it`, (t) => {
      const dir = tempDir(t, 'cse-template-');
      writeTree(dir, { 'secure-express.template.json': JSON.stringify({ name: 'large' }), 'templates/VERSION': 'one\n' });
      execFileSync('truncate', ['-s', size, join(dir, path)]);
      const [cwd, tmp] = [tempDir(t), tempDir(t, 'cse-tmp-')];
      const result = runCli(['svc', ...QUICK, '--template', dir], { cwd, env: { TMPDIR: tmp } });
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.equal(result.stderr, `error: --template ${dir}: ${message}\n`);
      assert.deepEqual([readdirSync(cwd), readdirSync(tmp)], [[], []]);
    });
  }

  it('refuses a file over the limit in a git repository before checking it out', (t) => {
    const work = tempDir(t, 'cse-template-');
    // Zeros pack to a few kilobytes: the download is small, the checkout would not be.
    writeTree(work, { 'secure-express.template.json': JSON.stringify({ name: 'large' }), 'templates/VERSION': 'one\n' });
    writeFileSync(join(work, 'templates', 'zeros.bin'), Buffer.alloc(10 * 1024 * 1024 + 1));
    git(work, 'init', '--quiet');
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'large');
    const [cwd, tmp] = [tempDir(t), tempDir(t, 'cse-tmp-')];
    const result = runCli(['svc', ...QUICK, '--template', `file://${work}`], { cwd, env: { TMPDIR: tmp } });
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.equal(result.stderr, `error: --template file://${work}: templates/zeros.bin is 10.0 MiB (10485761 bytes); a template file may be at most 10 MiB\n`);
    assert.deepEqual([readdirSync(cwd), readdirSync(tmp)], [[], []]);
  });

  /** A server that accepts connections and never answers; `sockets` are the ones still open. */
  async function silentServer(t: TestContext): Promise<{ url: string; sockets: Set<Socket> }> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket)).resume();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => (sockets.forEach((socket) => socket.destroy()), server.close()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api-template.git`, sockets };
  }

  it('stops git and its helpers when a server accepts the connection and never answers, within the limit set', async (t) => {
    const { url, sockets } = await silentServer(t);
    const [cwd, tmp] = [tempDir(t), tempDir(t, 'cse-tmp-')];
    const started = Date.now();
    const cli = spawn(CLI_NODE, [CLI_BIN, 'svc', ...QUICK, '--template', url], {
      cwd,
      env: { ...process.env, CI: 'true', TMPDIR: tmp, CREATE_SECURE_EXPRESS_GIT_TIMEOUT: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Without a limit the run would wait for ever: the test gives it 30 s.
    const hung = setTimeout(() => cli.kill('SIGKILL'), 30_000);
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(cli, 'exit')) as [number | null];
    clearTimeout(hung);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(code, 2, stderr);
    assert.equal(stderr, `error: fetching ${url} took longer than 1 s, so git was stopped (CREATE_SECURE_EXPRESS_GIT_TIMEOUT sets the limit, in seconds)\n`);
    assert.ok(seconds < 15, `stopped after ${seconds} s`);
    assert.deepEqual([readdirSync(cwd), readdirSync(tmp)], [[], []]);
    // git-remote-http held the connection: once it is stopped too, the server sees it close.
    for (let waited = 0; sockets.size > 0 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sockets.size, 0, 'no helper of git still holds the connection');
  });

  it('stops git and its helpers when the generator alone gets a SIGTERM during the fetch', async (t) => {
    const { url, sockets } = await silentServer(t);
    const [cwd, tmp] = [tempDir(t), tempDir(t, 'cse-tmp-')];
    // Detached: the signal reaches the generator alone, not git in the same process group (as Ctrl-C would).
    const cli = spawn(CLI_NODE, [CLI_BIN, 'svc', ...QUICK, '--template', url], {
      cwd,
      env: { ...process.env, CI: 'true', TMPDIR: tmp, CREATE_SECURE_EXPRESS_GIT_TIMEOUT: '60' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const hung = setTimeout(() => cli.kill('SIGKILL'), 30_000);
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let waited = 0; sockets.size === 0 && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(sockets.size > 0, 'git reached the server');
    cli.kill('SIGTERM');
    const [code] = (await once(cli, 'exit')) as [number | null];
    clearTimeout(hung);
    assert.equal(code, 143, stderr);
    assert.deepEqual([readdirSync(cwd), readdirSync(tmp)], [[], []]);
    for (let waited = 0; sockets.size > 0 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sockets.size, 0, 'no helper of git still holds the connection');
  });

  it('refuses a limit that is not a number of seconds, naming the variable', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['svc', ...QUICK, '--template', 'file:///nowhere/api-template.git'], { cwd, env: { CREATE_SECURE_EXPRESS_GIT_TIMEOUT: 'soon' } });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, 'error: CREATE_SECURE_EXPRESS_GIT_TIMEOUT: "soon" is not accepted: expected a number of seconds above 0, such as 120\n');
  });
});
