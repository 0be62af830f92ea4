import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { QUICK, runCli, tempDir } from '../support/cli.ts';

/**
 * Every kind of bad input: the exit code, one line on stderr that names the flag (or field) and says what
 * is accepted, no stack trace, and no folder left behind.
 */
const BAD_INPUTS: readonly { args: readonly string[]; code: number; names: RegExp }[] = [
  { args: ['--origins', '*'], code: 2, names: /--origins: .*wildcard/ },
  { args: ['--origins', 'https://*.example.com'], code: 2, names: /--origins: .*wildcard, which is not matched: list each origin exactly/ },
  { args: ['--origins', 'app.example.com'], code: 2, names: /--origins: .*lacks the scheme \(did you mean https:\/\/app\.example\.com\?\)/ },
  { args: ['--origins', 'http://app.example.com'], code: 2, names: /--origins: .*https/ },
  { args: ['--origins', 'https://app.example.com/api'], code: 2, names: /--origins: .*path/ },
  { args: ['--origins', 'https://app.example.com?x=1'], code: 2, names: /--origins/ },
  { args: ['--origins', 'https://app.example.com#x'], code: 2, names: /--origins/ },
  { args: ['--dev-origins', 'localhost:3000'], code: 2, names: /--dev-origins: .*lacks the scheme/ },
  { args: ['--global-limit', '0/15m'], code: 2, names: /--global-limit: .*max\/window/ },
  { args: ['--auth-limit', '5/15d'], code: 2, names: /--auth-limit: .*s, m or h/ },
  { args: ['--auth-limit', '5'], code: 2, names: /--auth-limit/ },
  { args: ['--trust-proxy', 'true'], code: 2, names: /--trust-proxy: .*integer from 0 to 10/ },
  { args: ['--trust-proxy', '11'], code: 2, names: /--trust-proxy/ },
  { args: ['--port', '0'], code: 2, names: /--port: .*1 to 65535/ },
  { args: ['--port', '70000'], code: 2, names: /--port/ },
  { args: ['--node', '20'], code: 2, names: /--node: .*24, 22/ },
  { args: ['--rate-limit', 'extreme'], code: 2, names: /--rate-limit: .*strict, standard, relaxed/ },
  { args: ['--rate-limit-store', 'memcached'], code: 2, names: /--rate-limit-store: .*memory, redis/ },
  { args: ['--rate-limit-store', 'redis'], code: 2, names: /--rate-limit-store redis: .*several instances.*--db sqlite.*--db postgres/ },
  { args: ['--rate-limit-store', 'redis', '--db', 'sqlite'], code: 2, names: /--rate-limit-store redis: .*use --db postgres/ },
  { args: ['--db', 'mysql'], code: 2, names: /--db: .*sqlite, postgres/ },
  { args: ['--session', 'jwt'], code: 2, names: /--session: .*bearer, cookie/ },
  { args: ['--body-limit', '10mb'], code: 2, names: /--body-limit: .*1kb to 5mb/ },
  { args: ['--pm', 'pip'], code: 2, names: /--pm: .*npm, pnpm, yarn, bun/ },
  { args: ['--name', 'Bad Name'], code: 2, names: /--name: .*npm package name/ },
  { args: ['--frobnicate'], code: 2, names: /^error: unknown option --frobnicate \(see --help/ },
  { args: ['--orgins', 'https://app.example.com'], code: 2, names: /unknown option --orgins; did you mean --origins\?/ },
  { args: ['--no-instal'], code: 2, names: /unknown option --no-instal; did you mean --no-install\?/ },
  { args: ['--port'], code: 2, names: /--port needs a value/ },
  { args: ['second-folder'], code: 2, names: /only one target folder/ },
  { args: ['--preset', 'missing.json'], code: 2, names: /--preset: cannot read .*missing\.json/ },
];

describe('bad input', () => {
  for (const { args, code, names } of BAD_INPUTS) {
    it(`${args.join(' ')} -> exit ${code}, one line naming it, nothing written`, (t) => {
      const cwd = tempDir(t);
      const result = runCli(['my-api', ...QUICK, ...args], { cwd });
      assert.equal(result.code, code, result.stderr);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
      assert.match(lines[0] ?? '', /^error: /);
      assert.match(lines[0] ?? '', names);
      assert.doesNotMatch(result.stderr, /\n\s+at |node:internal/);
      assert.deepEqual(readdirSync(cwd), []);
    });
  }

  it('a folder name with control characters (a terminal escape) is refused, not echoed raw', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['evil\u001b]0;TITLE\u0007\u001b[2Jname', ...QUICK], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: the folder name "evil\\u001b\]0;TITLE\\u0007\\u001b\[2Jname" has control characters/);
    assert.doesNotMatch(result.stderr + result.stdout, /\u001b/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('an invalid preset field names the field', (t) => {
    const cwd = tempDir(t);
    writeFileSync(join(cwd, 'preset.json'), JSON.stringify({ answers: { trustProxy: 99 } }));
    const result = runCli(['my-api', ...QUICK, '--preset', 'preset.json'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--preset field "trustProxy": 99 is not accepted: expected an integer from 0 to 10/);
    assert.ok(!existsSync(join(cwd, 'my-api')));
  });

  it('a preset with an unknown field is refused', (t) => {
    const cwd = tempDir(t);
    writeFileSync(join(cwd, 'preset.json'), JSON.stringify({ trustproxy: 1 }));
    const result = runCli(['my-api', ...QUICK, '--preset', 'preset.json'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown field "trustproxy"/);
  });

  it('a preset that is not JSON is refused', (t) => {
    const cwd = tempDir(t);
    writeFileSync(join(cwd, 'preset.json'), '{ nope');
    const result = runCli(['my-api', ...QUICK, '--preset', 'preset.json'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /not valid JSON/);
  });

  // Ten thousand levels: enough to overflow the stack of a recursive check (JSON.stringify in a message).
  const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  const DEEP_FILES: readonly { name: string; write: (dir: string) => string[]; message: RegExp }[] = [
    { name: 'a preset', write: (dir) => (writeFileSync(join(dir, 'preset.json'), `{"origins":${DEEP}}`), ['--preset', 'preset.json']), message: /--preset: .*preset\.json is not valid JSON \(nested more than 32 levels deep\)/ },
    {
      name: "a team template's manifest",
      write: (dir) => {
        mkdirSync(join(dir, 'template'));
        writeFileSync(join(dir, 'template', 'secure-express.template.json'), `{"name":"deep","defaults":{"origins":${DEEP}}}`);
        return ['--template', './template'];
      },
      message: /--template \.\/template: secure-express\.template\.json is not valid JSON \(nested more than 32 levels deep\)/,
    },
  ];
  for (const { name, write, message } of DEEP_FILES) {
    it(`${name} nested ten thousand levels deep is refused in one line, not a stack overflow`, (t) => {
      const cwd = tempDir(t);
      const result = runCli(['my-api', ...QUICK, ...write(cwd)], { cwd });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.ok(!existsSync(join(cwd, 'my-api')));
    });
  }

  it("a preset's template.ref with a terminal escape is refused, not copied into the new project's record", (t) => {
    const cwd = tempDir(t);
    mkdirSync(join(cwd, 'template'));
    writeFileSync(join(cwd, 'template', 'secure-express.template.json'), '{"name":"plain"}');
    const preset = { template: { source: join(cwd, 'template'), name: 'plain', ref: 'v1\u001b[2J' }, answers: {} };
    writeFileSync(join(cwd, 'preset.json'), JSON.stringify(preset));
    const result = runCli(['my-api', ...QUICK, '--preset', 'preset.json'], { cwd });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: --preset: field "template\.ref" must be a branch or tag\n$/);
    assert.ok(!existsSync(join(cwd, 'my-api')));
  });

  it('without a terminal and without --yes, names what is missing and points at --yes', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['my-api', '--no-install', '--no-git'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: no terminal to ask on: give --origins, --db, --trust-proxy, or pass --yes to accept the defaults\n$/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('without a terminal, only the answers with no safe default are needed', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['my-api', '--no-install', '--no-git', '--origins', '', '--db', 'sqlite', '--trust-proxy', '1'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(readFileSync(join(cwd, 'my-api', '.secure-express.json'), 'utf8')).answers.trustProxy, 1);
  });

  it('without a folder, no terminal and no --yes, asks for the folder too', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['--no-install'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /give a target folder, --origins/);
  });

  it('--debug shows a stack for unexpected failures only; usage errors stay one line', (t) => {
    const cwd = tempDir(t);
    const result = runCli(['my-api', ...QUICK, '--port', 'x', '--debug'], { cwd });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});
