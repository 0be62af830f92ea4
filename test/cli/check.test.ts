import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { after, describe, it } from 'node:test';
import { CHECK_FLAGS } from '../../src/check/args.ts';
import { CHECKS } from '../../src/check/probes/index.ts';
import { ALLOWED_ORIGIN, FLAWS, LOGIN_PATH, makeCertificate, startBrokenApp, type Flaw } from '../support/broken-app.ts';
import { idsWith, parseReport, runCheckCli } from '../support/check-cli.ts';
import { CLI_BIN, CLI_NODE, tempDir } from '../support/cli.ts';

/** Every flaw at once, keeping the rate limiter (with its forgeable key) and Node's timeouts (--slow is not given). */
const WORST = FLAWS.filter((flaw) => flaw !== 'no-rate-limit' && flaw !== 'node-default-timeouts');
const LIMIT = ['--limit-path', LOGIN_PATH, '--limit-method', 'POST'];
const CORS_IDS = ['cors/other-site', 'cors/null', 'cors/suffix', 'cors/prefix', 'cors/scheme'];
const ERROR_IDS = ['errors/malformed-json', 'errors/unknown-route', 'errors/wrong-method', 'errors/body-too-large', 'errors/text-plain'];

/**
 * Each broken app fails exactly the checks it should, with evidence that names what is wrong; the app
 * with no flaw fails none. `--slow` only where slow headers are the point: it holds a connection.
 */
const CASES: readonly {
  flaws: readonly Flaw[];
  slow?: boolean;
  tls?: boolean;
  args?: readonly string[];
  fails: readonly string[];
  skips?: readonly string[];
  evidence: Readonly<Record<string, RegExp>>;
}[] = [
  { flaws: [], fails: [], evidence: { 'rate-limit/reached': /429 after 6 requests/, 'rate-limit/headers': /Retry-After: \d+/ } },
  { flaws: [], slow: true, fails: [], evidence: { 'slow-headers': /cut off after [0-9.]+ s/ } },
  {
    flaws: ['trust-proxy-true'],
    fails: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /^a forged header gave a fresh limit: x-forwarded-for: 198\.51\.100\.\d+ → 401, x-forwarded-for: 198\.51\.100\.\d+ → 401$/ },
  },
  {
    flaws: ['x-real-ip-key'],
    fails: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /^a forged header gave a fresh limit: x-real-ip: 203\.0\.113\.\d+ → 401, x-real-ip: 203\.0\.113\.\d+ → 401$/ },
  },
  {
    flaws: ['no-rate-limit'],
    fails: ['rate-limit/reached'],
    skips: ['rate-limit/forged-headers', 'rate-limit/headers', 'slow-headers'],
    evidence: { 'rate-limit/reached': /^POST \/api\/login: no 429 after 2\d\d requests: no limit on this path/ },
  },
  {
    flaws: ['cors-ends-with'],
    args: ['--origin', ALLOWED_ORIGIN],
    fails: ['cors/prefix', 'cors/scheme'],
    evidence: {
      'cors/prefix': /^Origin: https:\/\/check-attacker-app\.example\.com: GET → Access-Control-Allow-Origin: https:\/\/check-attacker-app\.example\.com with Allow-Credentials: true;/,
      'cors/scheme': /^Origin: http:\/\/app\.example\.com: GET → Access-Control-Allow-Origin: http:\/\/app\.example\.com with Allow-Credentials: true;/,
    },
  },
  {
    flaws: ['cors-regex-no-end-anchor'],
    args: ['--origin', ALLOWED_ORIGIN],
    fails: ['cors/suffix'],
    evidence: { 'cors/suffix': /preflight → Access-Control-Allow-Origin: https:\/\/app\.example\.com\.check-attacker\.example with Allow-Credentials: true$/ },
  },
  { flaws: ['cors-defaults'], fails: CORS_IDS, evidence: { 'cors/null': /GET → Access-Control-Allow-Origin: \*.*preflight → Access-Control-Allow-Origin: \*/ } },
  {
    flaws: ['default-error-handler'],
    fails: ERROR_IDS,
    evidence: {
      'errors/malformed-json': /→ 400 text\/html: a stack frame: "at .*node_modules/,
      'errors/unknown-route': /→ 404 text\/html: Express's default error page: "Cannot GET \/check-not-found-\w+"; not a JSON error$/,
      'errors/wrong-method': /PATCH \/healthz → 404 text\/html: .*"Cannot PATCH \/healthz/,
    },
  },
  { flaws: ['json-limit-10mb'], fails: ['errors/body-too-large'], evidence: { 'errors/body-too-large': /→ 400 .*the whole 1 MB was read .*over 1 MB/ } },
  {
    flaws: ['helmet-defaults'],
    fails: ['headers/success', 'headers/not-found', 'headers/bad-request'],
    evidence: { 'headers/success': /CSP "default-src 'self'.*not default-src 'none'.*X-Frame-Options SAMEORIGIN.*no Cache-Control: no-store/ },
  },
  { flaws: ['trace-echo'], fails: ['trace'], evidence: { trace: /TRACE \/healthz → 200: the response echoes the request, cookie included/ } },
  { flaws: ['node-default-timeouts'], slow: true, fails: ['slow-headers'], evidence: { 'slow-headers': /still reading headers after 20 s/ } },
  {
    flaws: [],
    tls: true,
    slow: true,
    fails: [],
    evidence: { 'headers/success': /HSTS max-age=31536000/, 'slow-headers': /cut off after [0-9.]+ s/ },
  },
  {
    flaws: ['no-hsts'],
    tls: true,
    fails: ['headers/success', 'headers/not-found', 'headers/bad-request'],
    evidence: { 'headers/bad-request': /^POST \/check-not-found-\w+ → 400: no Strict-Transport-Security$/ },
  },
];

describe('check against broken Express apps', { concurrency: 3 }, () => {
  const certificateDir = mkdtempSync(join(tmpdir(), 'cse-tls-'));
  after(() => rmSync(certificateDir, { recursive: true, force: true }));
  let certificate: ReturnType<typeof makeCertificate> | undefined;
  for (const { flaws, slow, tls, args = [], fails, skips, evidence } of CASES) {
    const name = `${flaws.join(' + ') || 'no flaw'}${tls ? ' over https' : ''}${slow ? ' (--slow)' : ''}`;
    it(`${name}: fails ${fails.length === 0 ? 'nothing' : fails.join(', ')}`, async (t) => {
      if (tls) certificate ??= makeCertificate(certificateDir);
      const app = await startBrokenApp(flaws, tls && certificate ? { tls: certificate } : {});
      t.after(() => app.close());
      const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT, '--json', ...(slow ? ['--slow'] : []), ...args], {
        env: tls && certificate ? { NODE_EXTRA_CA_CERTS: certificate.certPath } : {},
      });
      const report = parseReport(run);
      assert.deepEqual(idsWith(report, 'fail'), [...fails].sort(), run.stdout);
      assert.equal(run.code, fails.length > 0 ? 1 : 0, run.stderr);
      assert.deepEqual(idsWith(report, 'warn'), [], 'no warnings');
      assert.deepEqual(idsWith(report, 'skipped'), skips ?? (slow ? [] : ['slow-headers']));
      for (const [id, pattern] of Object.entries(evidence)) {
        assert.match(report.checks.find((check) => check.id === id)?.evidence ?? '', pattern, id);
      }
      assert.equal(report.requests.sent, app.requests() + (slow ? 1 : 0), 'the report counts what the server received');
    });
  }
});

describe('check for people and machines', () => {
  it('prints a table with the evidence and a fix under each failure, after a notice of what it sends', async (t) => {
    const app = await startBrokenApp(WORST);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^check sends at most 300 requests to ${app.base} and nowhere else`));
    assert.match(run.stderr, /POST \/api\/login \{\} until it answers 429/);
    const rows = run.stdout.split('\n');
    assert.match(rows[0] ?? '', new RegExp(`^create-secure-express check ${app.base}/healthz$`));
    for (const check of CHECKS) assert.ok(rows.some((row) => row.includes(check.title)), `a row for ${check.id}`);
    const malformed = rows.findIndex((row) => /^ {2}FAIL {2}malformed JSON is a 400 +POST \/check-not-found-\w+ → 400 text\/html: a stack frame/.test(row));
    assert.ok(malformed > 0, run.stdout);
    assert.match(rows[malformed + 1] ?? '', /^ +fix: .*\(see src\/http\/error-handler\.ts in a generated project\)$/);
    assert.match(rows.at(-2) ?? '', /^18 checks: 15 failed, 0 warned, 2 passed, 1 skipped; \d+ requests \(cap 300\) in [0-9.]+ s$/);
    assert.doesNotMatch(run.stdout, /\u001B\[/, 'no colours off a terminal');
  });

  it('colours the verdicts on a terminal, and not with NO_COLOR', async (t) => {
    const app = await startBrokenApp(['cors-defaults']);
    t.after(() => app.close());
    const onTerminal = async (prefix: string) => {
      // util-linux `script` gives the command a real pseudo-terminal and copies what it prints.
      const command = `${prefix} '${CLI_NODE}' '${CLI_BIN}' check ${app.base}/healthz 2>/dev/null`;
      const { NO_COLOR: _noColor, ...env } = process.env;
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...env, CI: 'true', TERM: 'xterm' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      await once(child, 'close');
      return output;
    };
    const coloured = await onTerminal('');
    assert.match(coloured, /\u001B\[1m\u001B\[31mFAIL\u001B\[39m\u001B\[22m/);
    assert.match(coloured, /\u001B\[32mpass\u001B\[39m/);
    const plain = await onTerminal('NO_COLOR=1');
    assert.match(plain, /FAIL {2}CORS refuses the null origin/);
    assert.doesNotMatch(plain, /\u001B\[\d+m/);
  });

  it('writes SARIF 2.1.0 with a rule per check and a result per failure, located at the file that does it right', async (t) => {
    const app = await startBrokenApp(['cors-defaults', 'json-limit-10mb']);
    t.after(() => app.close());
    const cwd = tempDir(t);
    const run = await runCheckCli([`${app.base}/healthz`, '--json', '--sarif', 'out/check.sarif'], { cwd });
    assert.equal(run.code, 2, 'a folder that does not exist is refused before anything is sent');
    assert.match(run.stderr, /^error: --sarif: the folder .*out does not exist\n$/);
    assert.equal(app.requests(), 0);

    const ok = await runCheckCli([`${app.base}/healthz`, '--json', '--sarif', 'check.sarif'], { cwd });
    assert.equal(ok.code, 1);
    assert.deepEqual(readdirSync(cwd), ['check.sarif'], 'the SARIF file and nothing else');
    const sarif = JSON.parse(readFileSync(join(cwd, 'check.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-schema-2\.1\.0\.json$/);
    const [sarifRun] = sarif.runs;
    const rules = sarifRun.tool.driver.rules as { id: string; shortDescription: { text: string }; help: { text: string } }[];
    assert.deepEqual(rules.map((rule) => rule.id), CHECKS.map((check) => check.id));
    const report = parseReport(ok);
    const failed = report.checks.filter((check) => check.verdict === 'fail');
    assert.deepEqual(
      sarifRun.results.map((result: { ruleId: string; level: string; ruleIndex: number; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
        result.ruleId,
        result.level,
        rules[result.ruleIndex]?.id,
        result.locations[0]?.physicalLocation.artifactLocation.uri,
      ]),
      failed.map((check) => [check.id, 'error', check.id, check.fix.file]),
    );
    assert.deepEqual(failed.map((check) => check.id).sort(), [...CORS_IDS, 'errors/body-too-large'].sort());
  });
});

describe('check is bounded', () => {
  it('never sends more than --max-requests, counted by the server, and says which checks it could not run', async (t) => {
    const app = await startBrokenApp([]);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT, '--json', '--max-requests', '12']);
    const report = parseReport(run);
    assert.equal(app.requests(), 12);
    assert.deepEqual(report.requests, { sent: 12, cap: 12 });
    const capped = report.checks.filter((check) => /request cap \(--max-requests 12\) was reached/.test(check.evidence));
    assert.ok(capped.length >= 5, run.stdout);
    assert.ok(capped.every((check) => check.verdict === 'skipped'));
    assert.equal(run.code, 0, 'a check it could not run is not a failure');
  });

  it('stops at the default cap of 300 when no limit ever answers 429', async (t) => {
    const app = await startBrokenApp(['no-rate-limit']);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT, '--json']);
    assert.equal(run.code, 1);
    assert.ok(app.requests() <= 300, `${app.requests()} requests`);
    assert.equal(parseReport(run).requests.sent, app.requests());
  });

  it('never follows a redirect to another host, and contacts nothing but the host it was given', async (t) => {
    let elsewhere = 0;
    const decoy = createServer((_req, res) => res.end('{}'));
    decoy.on('connection', () => (elsewhere += 1));
    decoy.listen(0, '127.0.0.1');
    await once(decoy, 'listening');
    t.after(() => decoy.close());
    const { port } = decoy.address() as AddressInfo;
    for (const redirectTo of [`http://localhost:${port}/healthz`, `http://127.0.0.1:${port}/healthz`]) {
      const app = await startBrokenApp([], { redirectTo });
      const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT, '--json']);
      await app.close();
      const success = parseReport(run).checks.find((check) => check.id === 'headers/success');
      assert.equal(success?.verdict, 'skipped');
      assert.match(success?.evidence ?? '', new RegExp(`GET /healthz → 302 to ${redirectTo}: redirects are not followed`));
      assert.equal(app.connections(), 1, 'one kept-alive connection to the API');
    }
    assert.equal(elsewhere, 0, 'no connection to the host redirected to');
  });

  it('stops with one line when the API cannot be reached', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    const run = await runCheckCli([`http://127.0.0.1:${port}/healthz`]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.split('\n').filter((line) => line.startsWith('error:')).join('\n'), `error: cannot reach http://127.0.0.1:${port}/healthz: connection refused`);
    assert.equal(run.stdout, '');
  });
});

/** Bad usage: exit 2, one line naming the flag and what it accepts, nothing sent, nothing printed. */
const BAD_USAGE: readonly { args: readonly string[]; names: RegExp }[] = [
  { args: [], names: /check needs the URL of a running API/ },
  { args: ['localhost:3000'], names: /"localhost:3000" is not an http:\/\/ or https:\/\/ URL/ },
  { args: ['not a url'], names: /"not a url" is not a URL/ },
  { args: ['ftp://example.com/'], names: /not an http:\/\/ or https:\/\/ URL/ },
  { args: ['https://user:pw@example.com/'], names: /carries a user name or password/ },
  { args: ['http://127.0.0.1:9/', 'http://127.0.0.1:10/'], names: /check takes one URL/ },
  { args: ['http://127.0.0.1:9/', '--frobnicate'], names: /unknown option --frobnicate for check/ },
  { args: ['http://127.0.0.1:9/', '--max-requests', '0'], names: /--max-requests: "0" is not accepted: expected an integer from 1 to 5000/ },
  { args: ['http://127.0.0.1:9/', '--max-requests'], names: /--max-requests needs a value/ },
  { args: ['http://127.0.0.1:9/', '--timeout', '1.5'], names: /--timeout: "1\.5" is not accepted/ },
  { args: ['http://127.0.0.1:9/', '--limit-method', 'DELETE'], names: /--limit-method: "DELETE" is not accepted: expected one of GET, HEAD, POST, PUT, PATCH/ },
  { args: ['http://127.0.0.1:9/', '--limit-path', 'api/login'], names: /--limit-path: "api\/login" is not a path/ },
  { args: ['http://127.0.0.1:9/', '--limit-method', 'POST', '--limit-body', '{'], names: /--limit-body: "\{" is not valid JSON/ },
  { args: ['http://127.0.0.1:9/', '--limit-body', '{}'], names: /--limit-body is sent with POST, PUT or PATCH/ },
  { args: ['http://127.0.0.1:9/', '--origin', 'https://app.example.com/path'], names: /--origin: "https:\/\/app\.example\.com\/path" is not an origin/ },
  { args: ['http://127.0.0.1:9/', '--json-path', ''], names: /--json-path: "" is not a path/ },
  { args: ['http://127.0.0.1:9/', '--sarif', '.'], names: /--sarif: "\." is not a file name/ },
];

describe('check: bad usage', { concurrency: 4 }, () => {
  for (const { args, names } of BAD_USAGE) {
    it(`check ${args.join(' ')} -> exit 2, one line`, async () => {
      const run = await runCheckCli(args);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0] ?? '', /^error: /);
      assert.match(lines[0] ?? '', names);
    });
  }

  it('check --help lists every flag and the exit codes', async () => {
    const run = await runCheckCli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: create-secure-express check <url> \[options\]$/m);
    for (const { flag } of CHECK_FLAGS) assert.match(run.stdout, new RegExp(`^  (-\\w, )?--${flag}\\b`, 'm'), flag);
    assert.match(run.stdout, /Exit codes: 0 nothing failed/);
  });
});

describe('check loads no scaffolding chunk (renderer, prompts, team templates, git, install)', () => {
  it('runs with every chunk it does not import deleted from the package', async (t) => {
    // The installed package, copied; then every module outside the static imports of the entry, the
    // check chunk and the scan chunk is deleted. A check that loaded the renderer, the prompts, the
    // team templates, git or install would fail to start.
    const packageRoot = dirname(dirname(CLI_BIN));
    const copy = join(tempDir(t, 'cse-check-only-'), 'package');
    cpSync(packageRoot, copy, { recursive: true });
    const dist = join(copy, 'dist');
    const modules = readdirSync(dist).filter((file) => file.endsWith('.js'));
    const staticImports = (file: string) => [...readFileSync(join(dist, file), 'utf8').matchAll(/(?:from|import)"\.\/([\w-]+\.js)"/g)].map((match) => match[1] ?? '');
    const keep = new Set<string>();
    const visit = (file: string) => {
      if (keep.has(file)) return;
      keep.add(file);
      staticImports(file).forEach(visit);
    };
    ['main.js', ...modules.filter((file) => /^(check|scan)-/.test(file))].forEach(visit);
    const removed = modules.filter((file) => !keep.has(file));
    for (const file of removed) rmSync(join(dist, file));
    for (const chunk of ['render-', 'prompter-', 'team-template-', 'git-', 'install-']) {
      assert.ok(removed.some((file) => file.startsWith(chunk)), `${chunk}*.js is not loaded by check`);
    }
    assert.ok(!existsSync(join(dist, removed[0] ?? 'x')));

    const app = await startBrokenApp([]);
    t.after(() => app.close());
    const bin = join(copy, 'bin', 'create-secure-express.js');
    const child = spawn(CLI_NODE, [bin, 'check', `${app.base}/healthz`, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'close');
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.equal(JSON.parse(stdout).summary.fail, 0);
  });
});
