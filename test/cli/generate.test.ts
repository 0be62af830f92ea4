import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import { CLI_BIN, CLI_NODE, QUICK, runCli, snapshot, tempDir } from '../support/cli.ts';

const PACKAGE_VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('generating', () => {
  it('--version and --help answer without writing anything', (t) => {
    const cwd = tempDir(t);
    assert.equal(runCli(['--version'], { cwd }).stdout.trim(), PACKAGE_VERSION);
    const help = runCli(['-h'], { cwd });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: create-secure-express \[directory\] \[options\]/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  for (const major of ['22', '24'] as const) {
    it(`runs on Node ${major} as well as on the CLI's floor (${CLI_NODE === process.execPath ? 'same' : 'machine'} Node)`, (t) => {
      const cwd = tempDir(t);
      const node = join(process.env[`CSE_NODE${major}_BIN`] || '', 'node');
      if (!process.env[`CSE_NODE${major}_BIN`]) return t.skip(`CSE_NODE${major}_BIN not set`);
      const result = runCli(['my-api', ...QUICK], { cwd, node });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(existsSync(join(cwd, 'my-api', 'package.json')));
    });
  }

  it('writes the project, its answers file and nothing else in the folder it was given', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['my-api', ...QUICK, '--origins', 'https://app.example.com', '--trust-proxy', '1'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(cwd), ['my-api']);
    const answersFile = JSON.parse(readFileSync(join(cwd, 'my-api', '.secure-express.json'), 'utf8'));
    assert.deepEqual(answersFile.generator, { name: 'create-secure-express', version: PACKAGE_VERSION });
    assert.deepEqual(answersFile.answers.origins, ['https://app.example.com']);
    assert.equal(answersFile.answers.trustProxy, 1);
    const pkg = JSON.parse(readFileSync(join(cwd, 'my-api', 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'my-api');
    assert.ok(existsSync(join(cwd, 'my-api', '.gitignore')), 'dotfiles are renamed from their _name');
    assert.ok(!readdirSync(join(cwd, 'my-api')).some((name) => name.endsWith('.hbs') || name.startsWith('_')));
    assert.match(result.stdout, /^create-secure-express \d+\.\d+\.\d+ /, 'an intro line with the version');
    assert.match(result.stdout, /Next steps:\n {2}cd my-api\n(?: {2}nvm use .*\n)? {2}npm install\n {2}npm run dev +starts the API on http:\/\/127\.0\.0\.1:3000/);
  });

  it('the project folder gets the mode the umask gives any new folder, not a temporary folder\'s 0700', (t) => {
    const cwd = tempDir(t);
    assert.equal(runCli(['my-api', ...QUICK], { cwd }).code, 0);
    const umask = process.umask();
    assert.equal(statSync(join(cwd, 'my-api')).mode & 0o777, 0o777 & ~umask);
    assert.equal(statSync(join(cwd, 'my-api')).mode & 0o777, statSync(join(cwd, 'my-api', 'src')).mode & 0o777, 'like the folders inside it');
  });

  it('.gitignore speaks of the SQLite file only in a SQLite project', (t) => {
    const cwd = tempDir(t);
    assert.equal(runCli(['lite', ...QUICK], { cwd }).code, 0);
    assert.equal(runCli(['pg', ...QUICK, '--db', 'postgres'], { cwd }).code, 0);
    assert.match(readFileSync(join(cwd, 'lite', '.gitignore'), 'utf8'), /SQLite database[^\n]*\ndata\/\n/);
    assert.doesNotMatch(readFileSync(join(cwd, 'pg', '.gitignore'), 'utf8'), /SQLite|data\//);
  });

  it('every pointer to a section of the README or docs/ names a heading it has, every relative link a file there; the cookie flow keeps its session outside the project', (t) => {
    const cwd = tempDir(t);
    assert.equal(runCli(['pg', ...QUICK, '--db', 'postgres', '--session', 'cookie', '--rate-limit-store', 'redis'], { cwd }).code, 0);
    const dir = join(cwd, 'pg');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const files = snapshot(dir);
    const text = (path: string) => files.get(path)?.toString('utf8');
    const headings = (path: string) => new Set([...(text(path) ?? '').matchAll(/^#+ (.+)$/gm)].map((match) => match[1] ?? ''));
    const pointers = [...files].flatMap(([path, bytes]) => [...bytes.toString('utf8').matchAll(/see\s+"([^"]+)"\s+in\s+(README\.md|docs\/[\w.-]+\.md)/g)].map((match) => [path, match[1] ?? '', match[2] ?? ''] as const));
    assert.ok(pointers.some(([path]) => path === 'scripts/test.ts'), 'scripts/test.ts points at a section');
    for (const [path, section, target] of pointers) assert.ok(headings(target).has(section), `${path} points at "${section}", which ${target} has no heading for`);
    const documents = [...files.keys()].filter((path) => path === 'README.md' || /^docs\/.+\.md$/.test(path));
    assert.ok(documents.includes('docs/SECURITY.md') && documents.includes('docs/OPERATIONS.md'), documents.join(', '));
    for (const document of documents) {
      for (const [, target = '', anchor] of (text(document) ?? '').matchAll(/\]\((?!https?:)([^)#]*)(?:#([^)]+))?\)/g)) {
        const resolved = target === '' ? document : posix.join(posix.dirname(document), target);
        assert.ok(files.has(resolved), `${document} links to ${target}, which the project does not have`);
        if (anchor === undefined) continue;
        const slugs = new Set([...headings(resolved)].map((heading) => heading.toLowerCase().replace(/[^\w\s-]/g, '').replace(/\s/g, '-')));
        assert.ok(slugs.has(anchor), `${document} links to #${anchor} in ${resolved}, which has no such heading`);
      }
    }
    assert.doesNotMatch(readme, /cookies\.txt/);
    assert.match(readme, /jar=\$\(mktemp\)/);
  });

  it('"." means the current folder, and the name defaults to its name', (t) => {
    const cwd = join(tempDir(t), 'orders-api');
    mkdirSync(cwd);
    const result = runCli(['.', ...QUICK], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).name, 'orders-api');
  });

  it('refuses a non-empty folder and leaves it untouched', (t) => {
    const cwd = tempDir(t);
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'notes.txt'), 'mine');
    const before = snapshot(join(cwd, 'my-api'));
    const result = runCli(['my-api', ...QUICK], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /is not empty; choose another folder, or pass --force/);
    assert.deepEqual(snapshot(join(cwd, 'my-api')), before);
  });

  it('a folder that holds a generated project is pointed at update, and left untouched', (t) => {
    const cwd = tempDir(t);
    assert.equal(runCli(['my-api', ...QUICK], { cwd }).code, 0);
    const before = snapshot(join(cwd, 'my-api'));
    const result = runCli(['my-api', ...QUICK], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: .*my-api holds a project made by create-secure-express \(\.secure-express\.json\): `create-secure-express update` in it brings it up to date; --force generates over it\n$/);
    assert.deepEqual(snapshot(join(cwd, 'my-api')), before);
  });

  it('--force adds to a folder, lists what it replaces and deletes nothing', (t) => {
    const cwd = tempDir(t);
    const target = join(cwd, 'my-api');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    writeFileSync(join(target, 'package.json'), '{"name":"old"}');
    const result = runCli(['my-api', ...QUICK, '--force'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /replacing 1 existing file\(s\): package\.json/);
    assert.equal(readFileSync(join(target, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')).name, 'my-api');
  });

  it('--force does not write through a symbolic link in the folder: a linked src/ outside it is refused, nothing written', (t) => {
    const cwd = tempDir(t);
    const outside = tempDir(t, 'cse-outside-');
    writeFileSync(join(outside, 'app.ts'), 'mine\n');
    const target = join(cwd, 'my-api');
    mkdirSync(target);
    symlinkSync(outside, join(target, 'src'), 'dir');
    const result = runCli(['my-api', ...QUICK, '--force'], { cwd });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: .*my-api has symbolic links where the project's files go \(src\): the generator writes only inside the target folder/);
    assert.deepEqual(readdirSync(outside), ['app.ts']);
    assert.equal(readFileSync(join(outside, 'app.ts'), 'utf8'), 'mine\n');
    assert.deepEqual(readdirSync(target), ['src']);
  });

  it('--dry-run prints the answers and the files and writes nothing', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['my-api', ...QUICK, '--dry-run', '--rate-limit', 'strict'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /global-limit\s+50\/15m/);
    assert.match(result.stdout, /auth-limit\s+3\/15m/);
    assert.match(result.stdout, /^ {2}package\.json$/m);
    assert.match(result.stdout, /^ {2}\.secure-express\.json$/m);
    assert.match(result.stdout, /dry run: nothing was written/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('the same answers give the same bytes', (t) => {
    const cwd = tempDir(t);
    const args = [...QUICK, '--name', 'same-api', '--origins', 'https://a.example.com,https://b.example.com', '--credentials'];
    assert.equal(runCli(['one', ...args], { cwd }).code, 0);
    assert.equal(runCli(['two', ...args], { cwd }).code, 0);
    assert.deepEqual(snapshot(join(cwd, 'two')), snapshot(join(cwd, 'one')));
  });

  it('--preset with a project\'s .secure-express.json reproduces it byte for byte', (t) => {
    const cwd = tempDir(t);
    const first = runCli(['first', ...QUICK, '--rate-limit', 'relaxed', '--global-limit', '20/1m', '--node', '22', '--no-docker', '--port', '8080',
      '--trust-proxy', '2', '--body-limit', '1mb', '--dev-origins', 'http://localhost:4200', '--pm', 'pnpm'], { cwd });
    assert.equal(first.code, 0, first.stderr);
    // In a folder of the same name: a preset's own name is not reused (see the next test).
    const again = runCli([join('again', 'first'), '--no-install', '--no-git', '--preset', join('first', '.secure-express.json')], { cwd });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(snapshot(join(cwd, 'again', 'first')), snapshot(join(cwd, 'first')));
  });

  it('--preset from another project: the new folder names the project unless --name does, and the summary says where each answer came from', (t) => {
    const cwd = tempDir(t);
    assert.equal(runCli(['first', ...QUICK, '--port', '8080'], { cwd }).code, 0);
    const preset = join('first', '.secure-express.json');
    const second = runCli(['second', ...QUICK, '--preset', preset, '--db', 'postgres', '--dry-run'], { cwd });
    assert.equal(second.code, 0, second.stderr);
    for (const row of [/^ {2}name +second +default$/m, /^ {2}port +8080 +preset$/m, /^ {2}db +postgres +flag$/m, /^ {2}install +no +flag$/m]) {
      assert.match(second.stdout, row);
    }
    assert.equal(runCli(['second', ...QUICK, '--preset', preset], { cwd }).code, 0);
    assert.equal(JSON.parse(readFileSync(join(cwd, 'second', 'package.json'), 'utf8')).name, 'second');
    assert.equal(runCli(['third', ...QUICK, '--preset', preset, '--name', 'orders'], { cwd }).code, 0);
    assert.equal(JSON.parse(readFileSync(join(cwd, 'third', 'package.json'), 'utf8')).name, 'orders');
  });

  it('flags win over the preset', (t) => {
    const cwd = tempDir(t);
    writeFileSync(join(cwd, 'preset.json'), JSON.stringify({ port: 8080, trustProxy: 2 }));
    assert.equal(runCli(['my-api', ...QUICK, '--preset', 'preset.json', '--port', '9090'], { cwd }).code, 0);
    const { answers } = JSON.parse(readFileSync(join(cwd, 'my-api', '.secure-express.json'), 'utf8'));
    assert.equal(answers.port, 9090);
    assert.equal(answers.trustProxy, 2);
  });

  it('makes a first commit on a machine with no git identity', (t) => {
    const cwd = tempDir(t);
    const home = tempDir(t, 'cse-home-');
    const unset = Object.fromEntries(['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL'].map((key) => [key, undefined]));
    const env = { ...unset, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    const result = runCli(['my-api', '--yes', '--no-install'], { cwd, env });
    assert.equal(result.code, 0, result.stderr);
    const target = join(cwd, 'my-api');
    assert.equal(git(target, 'rev-list', '--count', 'HEAD'), '1');
    assert.equal(git(target, 'status', '--porcelain'), '');
    assert.match(git(target, 'log', '-1', '--format=%s'), /Initial commit from create-secure-express/);
  });

  it('skips git init with a warning inside another work tree', (t) => {
    const cwd = tempDir(t);
    git(cwd, 'init', '--quiet');
    const result = runCli(['my-api', '--yes', '--no-install'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /inside the git work tree .*skipped git init/);
    assert.ok(!existsSync(join(cwd, 'my-api', '.git')));
  });

  it('a failed install leaves the project in place and says how to finish', (t) => {
    const cwd = tempDir(t);
    const bin = tempDir(t, 'cse-bin-');
    writeFileSync(join(bin, 'pnpm'), '#!/bin/sh\necho "ERR_PNPM_FETCH_404 something broke" >&2\nexit 3\n', { mode: 0o755 });
    const result = runCli(['my-api', '--yes', '--no-git', '--pm', 'pnpm'], { cwd, env: { PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /ERR_PNPM_FETCH_404 something broke/);
    assert.match(result.stderr, /pnpm install exited with code 3; the project is in place: run "pnpm install" in it to finish/);
    assert.ok(existsSync(join(cwd, 'my-api', 'package.json')));
  });
});

/** What a run says: what it made, what it noticed, and what to do next (issue 13). */
describe('what a run says', () => {
  it('closes with what was made, each protection in one line from the answers, and the next steps', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['my-api', ...QUICK, '--origins', 'https://app.example.com', '--trust-proxy', '1', '--rate-limit', 'strict'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const closing = result.stdout.slice(result.stdout.indexOf('✔ Created my-api'));
    assert.match(closing, /^✔ Created my-api \(\d+ files\)\n\nmy-api is an Express 5 \+ TypeScript JSON API for Node 24\. Its protections, each with a test:\n/);
    for (const line of [/^ {2}headers +a CSP for an API, HSTS/m, /^ {2}CORS +only https:\/\/app\.example\.com in production$/m,
      /^ {2}rate limits +50\/15m per client, 3\/15m on sign-in, counted in memory$/m, /^ {2}client address +1 proxy hop trusted, no more/m,
      /^ {2}input +JSON bodies up to 100kb/m, /^ {2}sessions +opaque bearer tokens, stored as hashes/m, /^ {2}passwords +argon2id/m,
      /^ {2}data +SQLite \(node:sqlite\), parameterized queries only/m, /^ {2}errors +RFC 9457/m]) {
      assert.match(closing, line);
    }
  });

  it('--pm bun runs the test script with "bun run test", never "bun test" (Bun\'s own runner)', (t) => {
    const result = runCli(['my-api', ...QUICK, '--pm', 'bun'], { cwd: tempDir(t) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ {2}bun run test +runs the tests/m);
    assert.doesNotMatch(result.stdout, /bun test/);
  });

  for (const major of ['machine', '24'] as const) {
    it(`on ${major === 'machine' ? "this machine's" : 'a Node 24'} Node, says before writing whether it is older than the project's Node 24, and adds nvm use (and the other ways) to the next steps`, (t) => {
      const node = major === 'machine' ? CLI_NODE : join(process.env.CSE_NODE24_BIN || '', 'node');
      if (major === '24' && !process.env.CSE_NODE24_BIN) return t.skip('CSE_NODE24_BIN not set');
      const version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      const older = Number(version.split('.')[0]) < 24;
      const result = runCli(['my-api', ...QUICK, '--node', '24'], { cwd: tempDir(t), node });
      assert.equal(result.code, 0, result.stderr);
      if (older) {
        assert.match(result.stderr, new RegExp(`^warning: the project targets Node 24 \\(its scripts need 24\\.7 or later\\) but this is Node ${version.replaceAll('.', '\\.')}: switch in it with \`nvm use\`, \`fnm use\` .*\`volta install node@24\`, or the installer`));
        const dryRun = runCli(['dry', ...QUICK, '--node', '24', '--dry-run'], { cwd: tempDir(t), node });
        assert.match(dryRun.stdout, /\n\nwarning: the project targets Node 24 /, 'said in the summary, set apart, in the words used off a terminal, before anything is written');
        assert.match(result.stdout, new RegExp(`^ {2}nvm use +switches to Node 24 as \\.nvmrc says \\(this is Node ${version.replaceAll('.', '\\.')}\\); without nvm: \`fnm use\``, 'm'));
      } else {
        assert.doesNotMatch(result.stderr, /targets Node/);
        assert.doesNotMatch(result.stdout, /nvm use/);
      }
    });
  }

  it('warns about an auth limit no tighter than the global one, and still writes the project', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['my-api', ...QUICK, '--auth-limit', '200/15m', '--node', '24'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: auth-limit 200\/15m is no tighter than global-limit 100\/15m, so sign-in gets no extra protection/m);
    assert.ok(existsSync(join(cwd, 'my-api', 'package.json')));
  });

  it('keeps a scoped name: @acme/orders goes into orders and is named @acme/orders', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['@acme/orders', ...QUICK], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(cwd), ['orders']);
    assert.equal(JSON.parse(readFileSync(join(cwd, 'orders', 'package.json'), 'utf8')).name, '@acme/orders');
    assert.doesNotMatch(result.stdout, /package name/);
  });

  it('a folder name that is no package name: --yes says what it used, and without --yes --name is asked for', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['Über API!', ...QUICK], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^package name uber-api: "Über API!" is not a valid npm package name \(--name sets another\)$/m);
    assert.equal(JSON.parse(readFileSync(join(cwd, 'Über API!', 'package.json'), 'utf8')).name, 'uber-api');
    assert.match(result.stdout, /^ {2}cd 'Über API!'$/m, 'the next step quotes the folder for the shell');
    const refused = runCli(['Other API', '--no-install', '--no-git', '--origins', '', '--db', 'sqlite', '--trust-proxy', '0'], { cwd });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^error: no terminal to ask on: give --name, or pass --yes to accept the defaults\n$/);
  });
});

describe('stopped during the install', () => {
  it('keeps the project (it is whole) and says what is left and how to finish', async (t) => {
    const cwd = tempDir(t);
    const bin = tempDir(t, 'cse-bin-');
    writeFileSync(join(bin, 'pnpm'), '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const child = spawn(CLI_NODE, [CLI_BIN, 'my-api', '--yes', '--pm', 'pnpm'], {
      cwd,
      env: { ...process.env, CI: 'true', PATH: `${bin}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Installing dependencies with pnpm')) child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number];
    assert.equal(code, 130, stderr);
    assert.match(stderr, /^error: cancelled: my-api is in place, without its dependencies and a git repository; to finish: cd my-api && pnpm install && git init && git add -A && git commit -m "Initial commit"$/m);
    assert.ok(existsSync(join(cwd, 'my-api', 'package.json')));
    assert.ok(!existsSync(join(cwd, 'my-api', '.git')));
  });
});
