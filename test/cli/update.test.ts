import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { CLI_BIN, CLI_NODE, runCli, snapshot, tempDir } from '../support/cli.ts';
import { buildChangedGenerator, type ChangedGenerator } from '../support/generator-version.ts';
import { Terminal } from '../support/terminal.ts';

/**
 * `update` across two real generator releases: projects are made by the packed generator of this tree
 * (the old release), then updated by a newer release built from it with a header value changed, a file
 * added, a file removed and a dependency bumped. The old release is given as its `npm pack` tarball
 * (`--base-generator`), since it is not published.
 */
const OLD_TARBALL = process.env.CSE_TARBALL ?? '';
const OLD_PACKAGE = dirname(dirname(CLI_BIN));
const PROJECT = 'my-api';
const HEADERS = 'src/security/headers.ts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', ...args], { cwd, encoding: 'utf8' }).trim();
const commitAll = (dir: string, message: string) => (git(dir, 'add', '-A'), git(dir, 'commit', '--quiet', '-m', message));
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, '.secure-express.json'));

/** The project's files without git's own. */
const files = (dir: string) => new Map([...snapshot(dir)].filter(([path]) => !path.startsWith(`.git${sep}`)));

function replaceIn(dir: string, path: string, from: string, to: string): void {
  const text = read(dir, path);
  assert.ok(text.includes(from), `${path} holds ${from}`);
  writeFileSync(join(dir, path), text.replace(from, to));
}

/** A project made by the old release, committed by the generator itself (no install). */
function makeProject(t: TestContext, extra: readonly string[] = []): { cwd: string; dir: string } {
  const cwd = tempDir(t);
  const made = runCli([PROJECT, '--yes', '--no-install', ...extra], { cwd });
  assert.equal(made.code, 0, made.stderr);
  return { cwd, dir: join(cwd, PROJECT) };
}

describe('update to a newer generator release', () => {
  const root = mkdtempSync(join(tmpdir(), 'cse-update-'));
  let changed: ChangedGenerator;
  before(() => {
    changed = buildChangedGenerator(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const update = (dir: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}) =>
    runCli(['update', '--base-generator', OLD_TARBALL, ...args], { cwd: dir, bin: changed.bin, env });

  /** What the new release makes from the same answers: the project's own record, as a preset. */
  function freshGeneration(t: TestContext, dir: string): Map<string, Buffer> {
    const cwd = tempDir(t);
    // In a folder of the project's name, which names it (a preset's own name is not reused).
    const fresh = runCli([PROJECT, '--yes', '--preset', join(dir, '.secure-express.json')], { cwd, bin: changed.bin });
    assert.equal(fresh.code, 0, fresh.stderr);
    return files(join(cwd, PROJECT));
  }

  it('an untouched project becomes exactly what the new release generates', (t) => {
    const { dir } = makeProject(t);
    const tmp = tempDir(t, 'cse-tmp-');
    const result = update(dir, [], { TMPDIR: tmp });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(files(dir), freshGeneration(t, dir));
    assert.ok(read(dir, HEADERS).includes(changed.header.after), 'the header value changed');
    assert.ok(existsSync(join(dir, changed.added)), 'the added file is there');
    assert.ok(!existsSync(join(dir, changed.removed)), 'the removed file is gone');
    assert.equal(JSON.parse(read(dir, 'package.json')).dependencies[changed.dependency.name], changed.dependency.after);
    assert.equal(record(dir).generator.version, changed.version);
    assert.match(result.stdout, new RegExp(`new +${changed.added}`));
    assert.match(result.stdout, /deleted +\.nvmrc/);
    assert.match(result.stdout, /package\.json changed: run npm install/);
    assert.deepEqual(readdirSync(tmp), [], 'no temporary folder is left');
    assert.deepEqual(readdirSync(dirname(dir)), [PROJECT], 'no staging folder is left beside the project');
  });

  it('a second update after a clean one changes nothing', (t) => {
    const { dir } = makeProject(t);
    assert.equal(update(dir).code, 0);
    commitAll(dir, 'update');
    const before = snapshot(dir);
    const again = update(dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing to change/);
    assert.deepEqual(snapshot(dir), before);
    assert.equal(git(dir, 'status', '--porcelain'), '');
  });

  it("keeps the project's own edits on other lines and takes the template's change", (t) => {
    const { dir } = makeProject(t);
    const ownLine = '// Reviewed by the security team.\n';
    writeFileSync(join(dir, HEADERS), ownLine + read(dir, HEADERS));
    writeFileSync(join(dir, 'README.md'), `${read(dir, 'README.md')}\n## Our notes\n`);
    commitAll(dir, 'our edits');
    const result = update(dir);
    assert.equal(result.code, 0, result.stderr);
    const headers = read(dir, HEADERS);
    assert.ok(headers.startsWith(ownLine), 'our line is kept');
    assert.ok(headers.includes(changed.header.after) && !headers.includes(changed.header.before), "the template's change is taken");
    assert.ok(read(dir, 'README.md').endsWith('\n## Our notes\n'), 'an edit in a file the template did not change is kept');
    assert.match(result.stdout, new RegExp(`merged +${HEADERS}`));
    assert.doesNotMatch(headers, /^(<<<<<<<|>>>>>>>)/m);
  });

  it('an edit on the same line gives conflict markers, lists the file and exits 1', (t) => {
    const { dir } = makeProject(t);
    replaceIn(dir, HEADERS, changed.header.before, "'strict-origin'");
    commitAll(dir, 'our referrer policy');
    const result = update(dir);
    assert.equal(result.code, 1, result.stderr);
    const block = new RegExp(
      [
        '^<<<<<<< yours',
        ".*'strict-origin'.*",
        '\\|{7} base create-secure-express \\d+\\.\\d+\\.\\d+',
        `.*${changed.header.before}.*`,
        '=======',
        `.*${changed.header.after}.*`,
        `>>>>>>> new create-secure-express ${changed.version}$`,
      ].join('\n'),
      'm',
    );
    assert.match(read(dir, HEADERS), block);
    assert.match(result.stdout, new RegExp(`conflict +${HEADERS}`));
    assert.match(result.stderr, new RegExp(`1 file has conflicts to resolve: ${HEADERS}`));
    assert.equal(record(dir).generator.version, changed.version, '.secure-express.json records the new release');
    assert.equal(git(dir, 'ls-files', '--unmerged'), '', 'the git index has no unmerged entries');
    assert.deepEqual([...files(dir).keys()].filter((path) => /\.(rej|orig)$/.test(path)), [], 'no .rej or .orig files');
  });

  it('a file the user deleted stays deleted; a file the template removed is kept when the user changed it', (t) => {
    const { dir } = makeProject(t);
    unlinkSync(join(dir, HEADERS)); // changed by the new release
    unlinkSync(join(dir, 'tsconfig.json')); // not changed by it
    writeFileSync(join(dir, changed.removed), '24.1\n'); // removed by the new release
    commitAll(dir, 'our deletions');
    const result = update(dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!existsSync(join(dir, HEADERS)));
    assert.ok(!existsSync(join(dir, 'tsconfig.json')));
    assert.equal(read(dir, changed.removed), '24.1\n');
    assert.match(result.stdout, new RegExp(`kept +${HEADERS} +\\(you deleted it; it stays deleted`));
    assert.match(result.stdout, /kept +\.nvmrc +\(the new version no longer has it; kept because you changed it\)/);
  });

  it('refuses uncommitted work, naming it, and --allow-dirty overrides', (t) => {
    const { dir } = makeProject(t);
    replaceIn(dir, HEADERS, changed.header.before, "'strict-origin'");
    writeFileSync(join(dir, 'scratch.txt'), 'wip\n');
    const before = snapshot(dir);
    const refused = update(dir);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`my-api has uncommitted changes \\(${HEADERS}, scratch\\.txt\\): commit or stash them first.*--allow-dirty`));
    assert.deepEqual(snapshot(dir), before);
    const forced = update(dir, ['--allow-dirty']);
    assert.equal(forced.code, 1, 'the same-line edit conflicts');
    assert.equal(read(dir, 'scratch.txt'), 'wip\n');
  });

  it('--dry-run prints the plan and writes nothing', (t) => {
    const { dir } = makeProject(t);
    replaceIn(dir, HEADERS, changed.header.before, "'strict-origin'");
    const before = snapshot(dir);
    const tmp = tempDir(t, 'cse-tmp-');
    const result = update(dir, ['--dry-run'], { TMPDIR: tmp });
    assert.equal(result.code, 0, result.stderr);
    for (const row of [`new +${changed.added}`, 'updated +package\\.json', `conflict +${HEADERS}`, 'deleted +\\.nvmrc', 'dry run: nothing was written']) {
      assert.match(result.stdout, new RegExp(row));
    }
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(tmp), []);
    assert.deepEqual(readdirSync(dirname(dir)), [PROJECT]);
  });

  it('--check exits 1 while an update is available and 0 once it is applied', (t) => {
    const { dir } = makeProject(t);
    const available = runCli(['update', '--check'], { cwd: dir, bin: changed.bin });
    assert.equal(available.code, 1, available.stderr);
    assert.match(available.stdout, new RegExp(`generator +create-secure-express \\S+ → ${changed.version.replaceAll('.', '\\.')}`));
    assert.equal(runCli(['update', '--check'], { cwd: dir }).code, 0, 'the release that made it has nothing newer');
    assert.equal(update(dir).code, 0);
    const upToDate = runCli(['update', '--check'], { cwd: dir, bin: changed.bin });
    assert.equal(upToDate.code, 0);
    assert.match(upToDate.stdout, /is up to date/);
  });

  it('changes answers on the way: --rate-limit strict takes the tier and its limits', (t) => {
    const { dir } = makeProject(t);
    const result = update(dir, ['--rate-limit', 'strict']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /--rate-limit standard → strict/);
    const { answers } = record(dir);
    assert.equal(answers.rateLimit, 'strict');
    assert.equal(answers.globalLimit, '50/15m');
    assert.equal(answers.authLimit, '3/15m');
    assert.deepEqual(files(dir), freshGeneration(t, dir), 'the project is what its new answers generate');
  });

  it('--check inside the project names it by its package name, not its folder\'s', (t) => {
    const cwd = tempDir(t);
    assert.equal(runCli(['My-Api', '--yes', '--no-install'], { cwd }).code, 0);
    const check = runCli(['update', '--check'], { cwd: join(cwd, 'My-Api') });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /^my-api is up to date \(/);
  });

  it('when only the answers change, the conflict markers still name the base and the new side apart', (t) => {
    const { dir } = makeProject(t);
    replaceIn(dir, 'src/config.ts', 'port: 3000,', 'port: 3001,');
    commitAll(dir, 'our port');
    const result = runCli(['update', '--port', '8081'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    const version = record(dir).generator.version as string;
    const markers = read(dir, 'src/config.ts').split('\n').filter((line) => /^(<{7}|\|{7}|>{7}) /.test(line));
    assert.deepEqual(markers, ['<<<<<<< yours', `||||||| base create-secure-express ${version}`, `>>>>>>> new create-secure-express ${version}`]);
  });

  it('Ctrl-C at the last question, with everything staged, leaves no trace', async (t) => {
    const { cwd, dir } = makeProject(t);
    replaceIn(dir, HEADERS, changed.header.before, "'strict-origin'");
    commitAll(dir, 'ours');
    const before = snapshot(dir);
    const tmp = tempDir(t, 'cse-tmp-');
    const term = Terminal.start([CLI_NODE, changed.bin, 'update', '--base-generator', OLD_TARBALL], dir, { TMPDIR: tmp });
    t.after(() => term.close());
    await term.waitForQuestion(/Apply these changes\?/, 30_000);
    assert.equal(readdirSync(cwd).length, 2, 'the staging folder is there, beside the project');
    assert.equal(readdirSync(tmp).length, 1, 'the renders are there');
    await term.press('C-c');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /__EXIT=130/);
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(cwd), [PROJECT]);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('Ctrl-C while the old release is being fetched (from a registry that does not answer) leaves no trace', async (t) => {
    const { cwd, dir } = makeProject(t);
    const before = snapshot(dir);
    const tmp = tempDir(t, 'cse-tmp-');
    const sockets: Socket[] = [];
    const registry = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(registry, 'listening');
    t.after(() => (sockets.forEach((socket) => socket.destroy()), registry.close()));
    const env = { TMPDIR: tmp, npm_config_registry: `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`, npm_config_cache: join(root, 'hanging-cache') };
    const npmConnected = once(registry, 'connection');
    const term = Terminal.start([CLI_NODE, changed.bin, 'update'], dir, env);
    t.after(() => term.close());
    await term.waitFor(/Rebuilding the project as create-secure-express \S+ made it/, 30_000);
    await npmConnected;
    await term.press('C-c');
    const screen = await term.waitFor(/__EXIT=\d+/);
    assert.match(screen, /__EXIT=130/);
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(cwd), [PROJECT]);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('a failure half-way through the swap puts every file back', (t) => {
    const { cwd, dir } = makeProject(t);
    // A file where the new release needs a folder: found only when its file is moved in, after others.
    writeFileSync(join(dir, dirname(changed.added)), 'ours\n');
    commitAll(dir, 'a file where the new release needs a folder');
    const before = snapshot(dir);
    const tmp = tempDir(t, 'cse-tmp-');
    const result = update(dir, [], { TMPDIR: tmp });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`could not apply the update at ${changed.added} \\(a file of yours is where the new version needs a folder\\); the project was left as it was`));
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(cwd), [PROJECT]);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('without git, merges with node-diff3 into the same bytes', (t) => {
    const made = [makeProject(t), makeProject(t)].map(({ dir }) => {
      replaceIn(dir, HEADERS, changed.header.before, "'strict-origin'");
      writeFileSync(join(dir, 'README.md'), `${read(dir, 'README.md')}\n## Our notes\n`);
      commitAll(dir, 'ours');
      return dir;
    });
    const [withGit, withoutGit] = made as [string, string];
    const noGitPath = tempDir(t, 'cse-path-');
    assert.equal(runCli(['update', '--base-generator', OLD_PACKAGE], { cwd: withGit, bin: changed.bin }).code, 1);
    const result = runCli(['update', '--base-generator', OLD_PACKAGE, '--allow-dirty'], { cwd: withoutGit, bin: changed.bin, env: { PATH: noGitPath } });
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(files(withoutGit), files(withGit));
  });

  it('without --allow-dirty, refuses to run where git cannot check the project', (t) => {
    const { dir } = makeProject(t);
    const result = runCli(['update', '--base-generator', OLD_PACKAGE], { cwd: dir, bin: changed.bin, env: { PATH: tempDir(t, 'cse-path-') } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /git was not found, so my-api cannot be checked for uncommitted work: pass --allow-dirty/);
  });

  // Functions, since the changed release is built in before().
  const REFUSED: readonly { name: string; args: () => string[]; env?: NodeJS.ProcessEnv; code: number; message: () => RegExp }[] = [
    {
      name: '--base-generator of another version',
      args: () => ['--base-generator', changed.tarball],
      code: 2,
      message: () => new RegExp(`--base-generator .* is create-secure-express ${changed.version.replaceAll('.', '\\.')}, but the project was made by create-secure-express \\S+: give that version`),
    },
    {
      name: 'a registry that cannot be reached, naming --base-generator',
      args: () => [],
      env: { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_cache: join(root, 'empty-npm-cache') },
      code: 1,
      message: () => /could not fetch create-secure-express@\S+ with npm \(.*ECONNREFUSED.*\): pass --base-generator <tgz\|dir> with that version/,
    },
    { name: '--to on a project without a team template', args: () => ['--base-generator', OLD_TARBALL, '--to', 'v2'], code: 2, message: () => /--to picks a team template's branch/ },
    { name: 'an unknown flag', args: () => ['--force'], code: 2, message: () => /unknown option --force/ },
    { name: 'a bad answer', args: () => ['--base-generator', OLD_TARBALL, '--port', '0'], code: 2, message: () => /--port: .*not accepted/ },
  ];
  for (const { name, args, env, code, message } of REFUSED) {
    it(`refuses ${name} in one line, changing nothing`, (t) => {
      const { dir } = makeProject(t);
      const before = files(dir);
      const result = runCli(['update', ...args()], { cwd: dir, bin: changed.bin, env: env ?? {} });
      assert.equal(result.code, code, result.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, message());
      assert.deepEqual(files(dir), before);
    });
  }

  it('says what to do in a folder that is not a project, and has its own --help', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['update'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no \.secure-express\.json in .*: update works on a project made by create-secure-express/);
    const help = runCli(['update', '--help'], { cwd });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: create-secure-express update \[project folder\] \[options\]/);
    for (const flag of ['--to <ref>', '--check', '--dry-run', '--allow-dirty', '--base-generator <tgz|dir>', '--rate-limit <tier>']) assert.ok(help.stdout.includes(flag), flag);
  });
});

describe('update and symbolic links in the project', () => {
  const linksOut = (t: TestContext) => {
    const { dir } = makeProject(t);
    const outside = tempDir(t, 'cse-outside-');
    execFileSync('mv', [join(dir, 'src'), join(outside, 'src')]);
    symlinkSync(join(outside, 'src'), join(dir, 'src'), 'dir');
    writeFileSync(join(outside, 'npmrc'), '//registry.acme.test/:_authToken=s3cret-from-home\n');
    unlinkSync(join(dir, 'README.md'));
    symlinkSync(join(outside, 'npmrc'), join(dir, 'README.md'));
    commitAll(dir, 'links out of the project');
    return { dir, outside };
  };

  it('never reads or writes through one: a linked folder and a linked file are conflicts, the rest is updated', (t) => {
    const { dir, outside } = linksOut(t);
    const before = snapshot(outside);
    // --rate-limit strict changes src/config.ts, README.md and .env.example.
    const result = runCli(['update', '--rate-limit', 'strict'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    const changedOutside = [...snapshot(outside)].filter(([path, bytes]) => !before.get(path)?.equals(bytes)).map(([path]) => path);
    assert.deepEqual(changedOutside, [], 'nothing outside the project changed');
    for (const path of ['README.md', 'src/config.ts']) assert.match(result.stdout, new RegExp(`conflict +${path} +\\(a symbolic link of yours is at this path or above it`));
    assert.ok(lstatSync(join(dir, 'README.md')).isSymbolicLink() && lstatSync(join(dir, 'src')).isSymbolicLink(), 'the links are left as they were');
    assert.match(read(dir, '.env.example'), /RATE_LIMIT_GLOBAL=50\/15m/, 'the files of the project itself are updated');
    assert.doesNotMatch(git(dir, 'diff'), /s3cret-from-home/, 'the linked file was not merged into the project');
    assert.doesNotMatch(result.stdout, /markers\) in:/, 'no file has markers to resolve');
    assert.match(result.stdout, /Decide by hand what to keep in these \(they were left as they were, with no markers\):\n {4}README\.md {2}\(a symbolic link/);
  });

  it('refuses a .secure-express.json that is a link, changing nothing', (t) => {
    const { dir, outside } = linksOut(t);
    execFileSync('mv', [join(dir, '.secure-express.json'), join(outside, 'record.json')]);
    symlinkSync(join(outside, 'record.json'), join(dir, '.secure-express.json'));
    commitAll(dir, 'the record elsewhere');
    const result = runCli(['update', '--rate-limit', 'strict'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /\.secure-express\.json is a symbolic link: update reads and writes the project's own record only/);
    assert.equal(git(dir, 'status', '--porcelain'), '');
  });
});

describe('update and the conflicts it leaves', () => {
  it('points at markers only in the files that have them, and names the others with the reason', (t) => {
    const { dir } = makeProject(t);
    // --rate-limit strict changes these three files: a text edit on the same line, a binary file, a folder.
    replaceIn(dir, 'src/config.ts', "rateLimitGlobal: '100/15m'", "rateLimitGlobal: '80/15m'");
    writeFileSync(join(dir, 'README.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    unlinkSync(join(dir, '.env.example'));
    mkdirSync(join(dir, '.env.example'));
    writeFileSync(join(dir, '.env.example', 'production'), 'PORT=3000\n');
    commitAll(dir, 'three kinds of conflict');
    const result = runCli(['update', '--rate-limit', 'strict'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stdout.slice(result.stdout.indexOf('Next steps:')),
      [
        'Next steps:',
        '  Resolve the conflicts (between <<<<<<< and >>>>>>> markers) in:',
        '    src/config.ts',
        '  Decide by hand what to keep in these (they were left as they were, with no markers):',
        '    .env.example  (a folder of yours is at this path: the new version of the file was not written)',
        '    README.md  (a binary file changed on both sides: yours is left as it is; compare it with the new version by hand)',
        '  Review with git diff, then commit.',
        '',
      ].join('\n'),
    );
    assert.match(read(dir, 'src/config.ts'), /^<<<<<<< yours$/m);
    assert.deepEqual(readFileSync(join(dir, 'README.md')), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
  });
});

describe('update and a record nested deeper than any real one', () => {
  it('refuses a .secure-express.json nested ten thousand levels deep in one line, changing nothing', (t) => {
    const { dir } = makeProject(t);
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const hostile = { ...record(dir), answers: { ...record(dir).answers, origins: 'DEEP' } };
    writeFileSync(join(dir, '.secure-express.json'), JSON.stringify(hostile).replace('"DEEP"', deep));
    commitAll(dir, 'a hostile record');
    const result = runCli(['update', '--rate-limit', 'strict'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: .*\.secure-express\.json is not valid JSON \(nested more than 32 levels deep\); restore it from git\n$/);
    assert.equal(git(dir, 'status', '--porcelain'), '');
  });
});
