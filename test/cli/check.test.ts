import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { after, describe, it } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express, { type ErrorRequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { CHECK_FLAGS } from '../../src/check/args.ts';
import { CHECKS } from '../../src/check/probes/index.ts';
import { ALLOWED_ORIGIN, FLAWS, ITEMS_PATH, LOGIN_PATH, makeCertificate, OPENAPI_DOCUMENT, startBrokenApp, type Flaw } from '../support/broken-app.ts';
import { idsWith, parseReport, runCheckCli } from '../support/check-cli.ts';
import { CLI_BIN, CLI_NODE, tempDir } from '../support/cli.ts';
import { startForwardingProxy } from '../support/forwarding-proxy.ts';
import { NGINX, startNginx } from '../support/nginx.ts';
import { sarifErrors } from '../support/sarif-schema.ts';

/** Every flaw that shows without options, at once, keeping the rate limiter (with its forgeable key) and Node's timeouts. */
const WORST = FLAWS.filter(
  (flaw) =>
    !['no-rate-limit', 'node-default-timeouts', 'trust-proxy-one', 'html-error-pages', 'catch-all', 'login-404', 'app-wide-limit', 'trust-proxy-two', 'parser-message', 'cors-reflect-any', 'login-validates-first', 'refuses-forwarding-headers', 'options-hangs', 'clears-cookie', 'items-any-post', 'csrf-before-limit', 'trust-proxy-loopback', 'cookie-secure-auto', 'preflight-reflects-any'].includes(flaw),
);
const LIMIT = ['--limit-path', LOGIN_PATH, '--limit-method', 'POST'];
const LOOK_ALIKE_IDS = ['cors/suffix', 'cors/prefix', 'cors/scheme'];
/** Skipped on every plain run: the look-alikes (no --origin), --openapi, --slow, cookies (none set) and HSTS (http). */
const USUAL_SKIPS = [...LOOK_ALIKE_IDS, 'auth/anonymous', 'slow-headers', 'cookies/attributes', 'headers/hsts'];

/**
 * One fixture per class of mistake (and the correct setups that once raised false alarms): each
 * fails exactly the checks its mistake deserves, warns where it should, and passes the rest, with
 * evidence that names what is wrong. `--slow` only where slow headers are the point: it holds a
 * connection.
 */
const CASES: readonly {
  name?: string;
  flaws: readonly Flaw[];
  slow?: boolean;
  tls?: boolean;
  viaProxy?: boolean;
  openapi?: boolean;
  args?: readonly string[];
  fails: readonly string[];
  warns?: readonly string[];
  /** Checks of USUAL_SKIPS that this case's options let run. */
  ran?: readonly string[];
  alsoSkipped?: readonly string[];
  evidence?: Readonly<Record<string, RegExp>>;
  severity?: Readonly<Record<string, string>>;
  /** The fix each finding gives, for the cause it saw. */
  fixes?: Readonly<Record<string, RegExp>>;
}[] = [
  {
    flaws: [],
    args: LIMIT,
    fails: [],
    evidence: { 'rate-limit/reached': /→ 401, then 429 after 6 requests/, 'rate-limit/retry-after': /Retry-After: \d+/, 'headers/csp': /^all \d+ responses \(successes, preflights, errors, 429s\)$/ },
  },
  { flaws: [], slow: true, args: LIMIT, fails: [], evidence: { 'slow-headers': /cut off after [0-9.]+ s/ } },
  {
    flaws: ['trust-proxy-true'],
    args: LIMIT,
    fails: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /^POST \/api\/login: X-Forwarded-For: 198\.51\.100\.10 → 401; .*keys on the leftmost entry, which the client writes$/ },
    severity: { 'rate-limit/forged-headers': 'high' },
  },
  { name: 'trust-proxy-true through a proxy', flaws: ['trust-proxy-true'], viaProxy: true, args: LIMIT, fails: ['rate-limit/forged-headers'] },
  {
    name: 'trust-proxy-one scanned directly',
    flaws: ['trust-proxy-one'],
    args: LIMIT,
    fails: [],
    warns: ['rate-limit/forged-headers'],
    evidence: {
      'rate-limit/forged-headers':
        /keys on the entry a proxy would have appended; X-Forwarded-For: <changing>, 127\.0\.0\.1 \(check's own address\) kept one count: the app trusts one proxy hop more than this request went through: it was reached without its proxy, or `trust proxy` counts more proxies than there are/,
    },
    severity: { 'rate-limit/forged-headers': 'medium' },
  },
  {
    name: 'trust-proxy-one through a proxy that appends X-Forwarded-For',
    flaws: ['trust-proxy-one'],
    viaProxy: true,
    args: LIMIT,
    fails: [],
    evidence: { 'rate-limit/forged-headers': /kept the client's own count$/ },
  },
  {
    name: "trust proxy 'loopback' scanned from 127.0.0.1 (it believes a hop from check itself)",
    flaws: ['trust-proxy-loopback'],
    args: LIMIT,
    fails: [],
    warns: ['rate-limit/forged-headers'],
    evidence: {
      'rate-limit/forged-headers': /X-Forwarded-For: <changing>, 127\.0\.0\.1 \(check's own address\) got a fresh count each time too: the app believes any hop that comes from check's own address \(127\.0\.0\.1\), as `trust proxy` 'loopback'/,
    },
    severity: { 'rate-limit/forged-headers': 'medium' },
  },
  {
    name: 'trust-proxy-one scanned directly, seen from RateLimit headers without --limit-path',
    flaws: ['trust-proxy-one', 'global-limit'],
    fails: [],
    warns: ['rate-limit/forged-headers'],
    ran: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /<changing>, 127\.0\.0\.1 \(check's own address\) kept one count: the app trusts one proxy hop more than this request went through/ },
  },
  {
    name: 'trust-proxy-true, seen from RateLimit headers without --limit-path',
    flaws: ['trust-proxy-true', 'global-limit'],
    fails: ['rate-limit/forged-headers'],
    ran: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /^GET \/healthz \(RateLimit headers\): .*leftmost entry/ },
  },
  {
    name: 'a correct global limit, without --limit-path',
    flaws: ['global-limit'],
    fails: [],
    ran: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /^GET \/healthz \(RateLimit headers\): forged .* kept the client's own count$/ },
  },
  {
    name: 'trust-proxy-true, with a limit that sends no RateLimit headers',
    flaws: ['trust-proxy-true', 'limit-without-headers'],
    args: LIMIT,
    fails: ['rate-limit/forged-headers', 'rate-limit/retry-after'],
    evidence: { 'rate-limit/forged-headers': /keys on the leftmost entry/, 'rate-limit/retry-after': /neither Retry-After nor RateLimit headers/ },
  },
  {
    name: 'trust-proxy-one scanned directly, with a limit that sends no RateLimit headers',
    flaws: ['trust-proxy-one', 'limit-without-headers'],
    args: LIMIT,
    fails: ['rate-limit/retry-after'],
    warns: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /got a fresh count each time: the limit keys on the entry a proxy would have appended/ },
  },
  {
    name: 'trust-proxy-two through one proxy (one hop too many)',
    flaws: ['trust-proxy-two'],
    viaProxy: true,
    args: LIMIT,
    fails: [],
    warns: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /it was reached without its proxy, or `trust proxy` counts more proxies than there are/ },
  },
  {
    name: 'trust-proxy-true with one app-wide limit and no RateLimit headers (the probes before used part of it)',
    flaws: ['trust-proxy-true', 'app-wide-limit'],
    args: LIMIT,
    fails: ['rate-limit/forged-headers', 'rate-limit/retry-after'],
    evidence: { 'rate-limit/forged-headers': /keys on the leftmost entry, which the client writes$/ },
    severity: { 'rate-limit/forged-headers': 'high' },
  },
  {
    name: 'a login that refuses the probe body (400) before its limiter counts it',
    flaws: ['login-validates-first'],
    args: LIMIT,
    fails: [],
    alsoSkipped: ['rate-limit/reached', 'rate-limit/forged-headers', 'rate-limit/retry-after'],
    evidence: { 'rate-limit/reached': /^POST \/api\/login: no 429 after \d+ requests, every one answered 400: the body was refused before anything counted it: give --limit-body an attempt the API counts/ },
  },
  {
    name: 'a login behind a CSRF check (403 without a token) that comes before its limiter',
    flaws: ['csrf-before-limit'],
    args: LIMIT,
    fails: [],
    alsoSkipped: ['rate-limit/reached', 'rate-limit/forged-headers', 'rate-limit/retry-after'],
    evidence: { 'rate-limit/reached': /^POST \/api\/login: no 429 after \d+ requests, every one answered 403: refused before anything counted it \(a CSRF check/ },
  },
  {
    name: 'an app that answers 400 to any forwarding header (not a fresh count)',
    flaws: ['refuses-forwarding-headers'],
    args: LIMIT,
    fails: [],
    evidence: { 'rate-limit/forged-headers': /^POST \/api\/login: forged X-Forwarded-For, X-Real-IP and Forwarded kept the client's own count$/ },
  },
  {
    flaws: ['x-real-ip-key'],
    args: LIMIT,
    fails: ['rate-limit/forged-headers'],
    evidence: { 'rate-limit/forged-headers': /x-real-ip: 203\.0\.113\.10 → 401, a fresh count: the limit keys on a header the client writes/ },
  },
  {
    flaws: ['no-rate-limit'],
    args: LIMIT,
    fails: ['rate-limit/reached'],
    alsoSkipped: ['rate-limit/forged-headers', 'rate-limit/retry-after'],
    evidence: { 'rate-limit/reached': /^POST \/api\/login: no 429 after 2\d\d requests: no limit on this path/ },
  },
  {
    flaws: ['cors-ends-with'],
    args: ['--origin', ALLOWED_ORIGIN],
    fails: ['cors/prefix', 'cors/scheme'],
    ran: LOOK_ALIKE_IDS,
    evidence: { 'cors/prefix': /^Origin: https:\/\/check-attacker-app\.example\.com is allowed with Allow-Credentials: true .*: GET \/healthz, preflight \/healthz$/ },
    severity: { 'cors/prefix': 'high' },
  },
  {
    flaws: ['cors-regex-no-end-anchor'],
    args: ['--origin', ALLOWED_ORIGIN],
    fails: ['cors/suffix'],
    ran: LOOK_ALIKE_IDS,
    evidence: { 'cors/suffix': /^Origin: https:\/\/app\.example\.com\.check-attacker\.example is allowed with Allow-Credentials: true/ },
  },
  {
    name: 'cors-regex-no-end-anchor without --origin',
    flaws: ['cors-regex-no-end-anchor'],
    fails: [],
    evidence: { 'cors/suffix': /^not run: a look-alike is made from an origin the API allows.*give --origin/ },
  },
  {
    name: 'cors-defaults (* without credentials)',
    flaws: ['cors-defaults'],
    fails: ['cors/wildcard'],
    evidence: {
      'cors/wildcard': /^Access-Control-Allow-Origin: \* on GET \/healthz, OPTIONS \/healthz: any site can read what these answer without credentials/,
      'cors/other-site': /not allowed by name \(Access-Control-Allow-Origin: \*, see cors\/wildcard\)/,
    },
    severity: { 'cors/wildcard': 'low' },
  },
  {
    name: 'cors-reflect-any (every origin, with credentials)',
    flaws: ['cors-reflect-any'],
    args: ['--origin', ALLOWED_ORIGIN],
    fails: ['cors/other-site'],
    alsoSkipped: ['cors/null', ...LOOK_ALIKE_IDS],
    evidence: {
      'cors/other-site': /^Origin: https:\/\/check-attacker\.example is allowed with Allow-Credentials: true/,
      'cors/null': /^Origin: null is allowed wherever it was sent, as any origin is: \/healthz lets any origin in \(see cors\/other-site\)$/,
      'cors/suffix': /is allowed wherever it was sent, as any origin is/,
    },
  },
  {
    name: 'an OPTIONS handler that reflects any origin with credentials (the GETs stay refused)',
    flaws: ['preflight-reflects-any'],
    fails: ['cors/other-site'],
    evidence: {
      'cors/other-site': /^Origin: https:\/\/check-attacker\.example is allowed with Allow-Credentials: true by the preflight \(its pages send any request with the visitor's cookies, a JSON POST included, though they read no answer that does not allow them too\): preflight \/healthz$/,
    },
    severity: { 'cors/other-site': 'high' },
  },
  {
    name: 'a preflight that is never answered (not a CORS hole: a route that hangs)',
    flaws: ['options-hangs'],
    args: ['--timeout', '1000'],
    fails: [],
    warns: ['cors/other-site', 'cors/null'],
    evidence: { 'cors/other-site': /^no answer: no answer within 1 s: nothing was judged/, 'cors/null': /^no answer: no answer within 1 s: nothing was judged/ },
    severity: { 'cors/other-site': 'low' },
  },
  {
    name: 'per-route CORS on /api/private, named by --openapi',
    flaws: ['per-route-cors'],
    openapi: true,
    args: ['--origin', ALLOWED_ORIGIN],
    fails: ['cors/other-site'],
    ran: [...LOOK_ALIKE_IDS, 'auth/anonymous'],
    evidence: {
      'cors/other-site': /^Origin: https:\/\/check-attacker\.example is allowed with Allow-Credentials: true .*: GET \/api\/private$/,
      'cors/null': /\/api\/private lets any origin in \(see cors\/other-site\)$/,
      'auth/anonymous': /^1 secured operations → 401$/,
      'errors/malformed-json': /^POST \/api\/items → 400; POST \/api\/login → 400$/,
      'errors/body-too-large': /^POST \/api\/items → 413$/,
    },
  },
  {
    name: 'a secured operation that answers anonymous callers',
    flaws: ['unguarded-route'],
    openapi: true,
    args: ['--origin', ALLOWED_ORIGIN],
    fails: ['auth/anonymous'],
    ran: [...LOOK_ALIKE_IDS, 'auth/anonymous'],
    evidence: { 'auth/anonymous': /^answered without credentials: GET \/api\/private → 200/ },
  },
  {
    name: 'a catch-all (docs page at /)',
    flaws: ['catch-all'],
    fails: [],
    warns: ['errors/unknown-route'],
    alsoSkipped: ['csrf/simple-body'],
    evidence: { 'csrf/simple-body': /with no body: the route answers the same whatever is sent \(a catch-all\): give --json-path/ },
  },
  {
    name: 'a route that creates an item whatever the body (express 4 req.body {} and defaults)',
    flaws: ['items-any-post'],
    args: ['--json-path', ITEMS_PATH],
    fails: [],
    warns: ['csrf/simple-body'],
    evidence: { 'csrf/simple-body': /^POST \/api\/items: text\/plain → 201, .*, and POST \/api\/items → 201 with no body: the route answers the same whatever is sent: it ignores the body, or acts on any POST from any site/ },
  },
  {
    name: "Express's default HTML error pages, in production",
    flaws: ['html-error-pages'],
    fails: ['errors/default-page'],
    warns: ['errors/wrong-method'],
    evidence: {
      'errors/malformed-json': /^POST \/check-not-found → 400$/,
      'errors/body-too-large': /^POST \/check-not-found → 413$/,
      'errors/default-page': /Express's default error page/,
    },
    severity: { 'errors/default-page': 'low' },
  },
  {
    name: "Express's default error handler outside production",
    flaws: ['default-error-handler'],
    fails: ['errors/internals', 'errors/default-page'],
    warns: ['errors/wrong-method'],
    evidence: { 'errors/internals': /a stack frame: "at .*node_modules/ },
    fixes: { 'errors/internals': /; Express's default handler prints the stack whenever NODE_ENV is not production$/ },
  },
  {
    name: 'an error handler that ignores err.status',
    flaws: ['error-handler-500'],
    fails: ['errors/malformed-json', 'errors/body-too-large'],
    evidence: { 'errors/malformed-json': /^POST \/check-not-found → 500: a client's mistake became a server error$/ },
    fixes: { 'errors/malformed-json': /^Answer a client's mistake with its 4xx in your error handler, never 500: in Express, answer err\.status/, 'errors/body-too-large': /^Answer a client's mistake with its 4xx/ },
  },
  {
    name: "an error handler that passes the body parser's message on in a 400 (err.expose)",
    flaws: ['parser-message'],
    fails: ['errors/default-page'],
    evidence: { 'errors/default-page': /^JSON\.parse's own message: "Unexpected end of JSON.*" in POST \/check-not-found → 400$/, 'errors/internals': /^\d+ error responses: no stack/ },
    severity: { 'errors/default-page': 'low' },
    fixes: { 'errors/default-page': /^Answer a body the parser refuses with a fixed message of your own/ },
  },
  {
    name: 'form-bodies without --json-path: the unknown path it posts to reads no body',
    flaws: ['form-bodies'],
    fails: [],
    alsoSkipped: ['csrf/simple-body'],
    evidence: { 'csrf/simple-body': /^POST \/check-not-found: text\/plain → 404, .*: refused before the body was read \(not a route, or credentials first\): give --json-path/ },
  },
  {
    name: 'json-limit-10mb behind an error handler that answers 500 with err.message',
    flaws: ['json-limit-10mb', 'error-handler-500', 'parser-message'],
    fails: ['errors/malformed-json', 'errors/body-too-large', 'errors/internals'],
    evidence: {
      'errors/body-too-large': /^POST \/check-not-found → 500: a client's mistake became a server error; the answer shows JSON\.parse's failure, so the parser read the whole 1 MB: the body limit is over 1 MB too$/,
      'errors/internals': /JSON\.parse's own message/,
    },
  },
  {
    flaws: ['json-limit-10mb'],
    fixes: { 'errors/body-too-large': /^Give the JSON parser a small limit/ },
    fails: ['errors/body-too-large'],
    evidence: { 'errors/body-too-large': /→ 400: the whole 1 MB was read .*over 1 MB/ },
  },
  {
    flaws: ['form-bodies'],
    args: ['--json-path', ITEMS_PATH],
    fails: ['csrf/simple-body'],
    evidence: { 'csrf/simple-body': /^POST \/api\/items from Origin https:\/\/check-attacker\.example: application\/x-www-form-urlencoded → 201 \(with no body: 400\)/ },
  },
  {
    flaws: ['bad-cookies'],
    fails: ['cookies/attributes'],
    ran: ['cookies/attributes'],
    evidence: { 'cookies/attributes': /^sid: no Secure, sid: no HttpOnly, sid: no SameSite \(set by GET \/healthz\)$/ },
  },
  {
    name: "a cookie Secure over https only (express-session's secure: 'auto'), reached over http",
    flaws: ['cookie-secure-auto'],
    fails: [],
    warns: ['cookies/attributes'],
    ran: ['cookies/attributes'],
    evidence: { 'cookies/attributes': /^sid: no Secure \(set by GET \/healthz\): set over http, where Secure cannot be seen/ },
    severity: { 'cookies/attributes': 'low' },
  },
  {
    name: "a cookie Secure over https only (express-session's secure: 'auto')",
    flaws: ['cookie-secure-auto'],
    tls: true,
    fails: [],
    ran: ['cookies/attributes'],
    evidence: { 'cookies/attributes': /^sid: Secure, HttpOnly, SameSite$/ },
  },
  {
    name: 'a cookie deleted by res.clearCookie (nothing stored)',
    flaws: ['clears-cookie'],
    fails: [],
    evidence: { 'cookies/attributes': /^the run's responses only deleted cookies \(token\): nothing stored to judge$/ },
  },
  {
    name: 'a cookie deleted beside one set without its attributes',
    flaws: ['clears-cookie', 'bad-cookies'],
    fails: ['cookies/attributes'],
    ran: ['cookies/attributes'],
    evidence: { 'cookies/attributes': /^sid: no Secure, sid: no HttpOnly, sid: no SameSite \(set by GET \/healthz\)$/ },
  },
  {
    flaws: ['helmet-defaults'],
    fails: ['headers/csp', 'headers/framing', 'headers/no-store'],
    evidence: { 'headers/framing': /^frame-ancestors 'self' and X-Frame-Options SAMEORIGIN on (\d+) of \1 responses/ },
  },
  { flaws: ['trace-echo'], fails: ['trace'], evidence: { trace: /TRACE \/healthz → 200: the response echoes the request, cookie included/ } },
  { flaws: ['node-default-timeouts'], slow: true, fails: ['slow-headers'], evidence: { 'slow-headers': /still reading headers after 20 s/ } },
  { flaws: [], tls: true, slow: true, fails: [], evidence: { 'headers/hsts': /^all \d+ responses/, 'slow-headers': /cut off after [0-9.]+ s/ } },
  { flaws: ['no-hsts'], tls: true, fails: ['headers/hsts'], evidence: { 'headers/hsts': /^no Strict-Transport-Security on (\d+) of \1 responses/ } },
];

describe('check against broken Express apps', { concurrency: 3 }, () => {
  const certificateDir = mkdtempSync(join(tmpdir(), 'cse-tls-'));
  after(() => rmSync(certificateDir, { recursive: true, force: true }));
  const documentPath = join(certificateDir, 'openapi.json');
  writeFileSync(documentPath, JSON.stringify(OPENAPI_DOCUMENT));
  let certificate: ReturnType<typeof makeCertificate> | undefined;
  for (const { name, flaws, slow, tls, viaProxy, openapi, args = [], fails, warns = [], ran = [], alsoSkipped = [], evidence = {}, severity = {}, fixes = {} } of CASES) {
    const title = `${name ?? (flaws.join(' + ') || 'no flaw')}${tls ? ' over https' : ''}${slow ? ' (--slow)' : ''}`;
    it(`${title}: fails ${fails.length === 0 ? 'nothing' : fails.join(', ')}${warns.length > 0 ? `, warns ${warns.join(', ')}` : ''}`, async (t) => {
      if (tls) certificate ??= makeCertificate(certificateDir);
      const app = await startBrokenApp(flaws, tls && certificate ? { tls: certificate } : {});
      t.after(() => app.close());
      const proxy = viaProxy ? await startForwardingProxy(app.port) : undefined;
      t.after(() => proxy?.close());
      const base = proxy?.base ?? app.base;
      const run = await runCheckCli([`${base}/healthz`, ...args, '--json', ...(slow ? ['--slow'] : []), ...(openapi ? ['--openapi', documentPath] : [])], {
        env: tls && certificate ? { NODE_EXTRA_CA_CERTS: certificate.certPath } : {},
      });
      const report = parseReport(run);
      assert.equal(report.execution.successful, true);
      assert.deepEqual(idsWith(report, 'fail'), [...fails].sort(), run.stdout);
      assert.equal(run.code, fails.length > 0 ? 1 : 0, run.stderr);
      assert.deepEqual(idsWith(report, 'warn'), [...warns].sort(), run.stdout);
      const noLimit = args.includes(LOGIN_PATH) ? [] : ['rate-limit/reached', 'rate-limit/forged-headers', 'rate-limit/retry-after'];
      const didRun = new Set([...ran, ...(tls ? ['headers/hsts'] : []), ...(slow ? ['slow-headers'] : [])]);
      const expectedSkips = [...USUAL_SKIPS, ...noLimit, ...alsoSkipped].filter((id) => !didRun.has(id));
      assert.deepEqual(idsWith(report, 'skipped'), [...new Set(expectedSkips)].sort(), run.stdout);
      for (const [id, pattern] of Object.entries(evidence)) {
        assert.match(report.checks.find((check) => check.id === id)?.evidence ?? '', pattern, id);
      }
      for (const [id, level] of Object.entries(severity)) assert.equal(report.checks.find((check) => check.id === id)?.severity, level, id);
      for (const [id, pattern] of Object.entries(fixes)) assert.match(report.checks.find((check) => check.id === id)?.fix.text ?? '', pattern, id);
      if (!viaProxy) assert.equal(report.requests.sent, app.requests() + (slow ? 1 : 0), 'the report counts what the server received');
    });
  }
});

describe('check when the target is not an API that answers', () => {
  it('stops before judging a target that answers 502, says what it answered, and still writes JSON and SARIF', async (t) => {
    const gateway = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>'));
    gateway.listen(0, '127.0.0.1');
    await once(gateway, 'listening');
    t.after(() => gateway.close());
    const { port } = gateway.address() as AddressInfo;
    const cwd = tempDir(t);
    const run = await runCheckCli([`http://127.0.0.1:${port}/healthz`, ...LIMIT, '--json', '--sarif', 'check.sarif'], { cwd });
    assert.equal(run.code, 1);
    const report = parseReport(run);
    assert.deepEqual(report.execution, { successful: false, reason: 'GET /healthz → 502: check needs URLs that answer GET with 2xx, 401 or 403 (such as /healthz); nothing was judged against an API that is not there' });
    assert.deepEqual(report.preconditions, ['GET /healthz → 502']);
    assert.equal(report.requests.sent, 1);
    assert.deepEqual(idsWith(report, 'pass'), [], 'nothing passes on a 502');
    assert.equal(idsWith(report, 'skipped').length, CHECKS.length);
    assert.match(run.stderr, /^error: GET \/healthz → 502: check needs URLs/m);
    const sarif = JSON.parse(readFileSync(join(cwd, 'check.sarif'), 'utf8'));
    assert.equal(sarifErrors(sarif), '');
    assert.deepEqual(sarif.runs[0].invocations, [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: report.execution.reason } }] }]);
  });

  it('stops, judging nothing, when the API refuses the name it was reached by (421: a host allowlist, as ALLOWED_HOSTS)', async (t) => {
    // As a generated project in production scanned by address: its health route answers any Host,
    // everything after the Host check answers 421, which no check may read as the route's answer.
    const app = express();
    app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
    app.use((req, res, next) => (req.headers.host === 'api.example.com' ? next() : res.status(421).type('application/problem+json').json({ status: 421 })));
    app.use((_req, res) => res.status(404).json({ status: 404 }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const run = await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--json']);
    assert.equal(run.code, 1);
    const report = parseReport(run);
    assert.equal(report.execution.successful, false);
    assert.match(report.execution.reason ?? '', new RegExp(`^[A-Z]+ /\\S* → 421: the API does not serve the name 127\\.0\\.0\\.1:${port} \\(a host allowlist, such as ALLOWED_HOSTS in a generated project\\); scan it by a name it serves`));
    assert.deepEqual(idsWith(report, 'pass'), [], 'nothing passes on answers that were refusals');
    assert.equal(idsWith(report, 'skipped').length, CHECKS.length);
    assert.match(run.stderr, /^error: .* → 421: the API does not serve the name/m);
  });

  it("skips, not fails, the checks whose answers were a proxy's limit page (nginx limit_req's own 503)", async (t) => {
    // As nginx with limit_req in front of the API, its limit already used up: its own 503 page for all
    // but the health route, which the app answers. A 503 there is the limit, not the app's error handler.
    const page = '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
    const limited = createServer((req, res) => {
      if (req.url === '/healthz' && req.method === 'GET') res.writeHead(200, { 'content-type': 'application/json', server: 'nginx/1.22.1' }).end('{"status":"ok"}');
      else res.writeHead(503, { 'content-type': 'text/html', server: 'nginx/1.22.1' }).end(page);
    });
    limited.listen(0, '127.0.0.1');
    await once(limited, 'listening');
    t.after(() => limited.close());
    const { port } = limited.address() as AddressInfo;
    const report = parseReport(await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--json']));
    for (const id of ['errors/malformed-json', 'errors/unknown-route', 'errors/wrong-method', 'trace']) {
      const result = report.checks.find((check) => check.id === id);
      assert.equal(result?.verdict, 'skipped', `${id}: ${JSON.stringify(result)}`);
      assert.match(result.evidence, /rate limited/, id);
    }
  });

  it('writes JSON and SARIF when the API cannot be reached, with executionSuccessful false and the reason', async (t) => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    const cwd = tempDir(t);
    const run = await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--json', '--sarif', 'check.sarif'], { cwd });
    assert.equal(run.code, 1);
    const reason = `cannot reach http://127.0.0.1:${port}/healthz: connection refused`;
    assert.deepEqual(parseReport(run).execution, { successful: false, reason });
    const sarif = JSON.parse(readFileSync(join(cwd, 'check.sarif'), 'utf8'));
    assert.equal(sarifErrors(sarif), '');
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, reason);
    assert.deepEqual(sarif.runs[0].results, []);
  });

  it('reads only the start of an endless body, so a run against one takes seconds, not a deadline per request', async (t) => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const endless = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    endless.listen(0, '127.0.0.1');
    await once(endless, 'listening');
    t.after(() => {
      endless.closeAllConnections();
      endless.close();
    });
    const { port } = endless.address() as AddressInfo;
    const started = Date.now();
    const run = await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--timeout', '20000', '--json'], { timeoutMs: 45_000 });
    const report = parseReport(run);
    assert.equal(report.execution.successful, true, run.stderr);
    assert.ok(report.requests.sent > 5, `${report.requests.sent} requests`);
    assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms: a deadline was waited out`);
  });

  it('says that a port that answers something other than HTTP is not HTTP', async (t) => {
    const sockets = new Set<Socket>();
    const banner = createNetServer((socket) => {
      sockets.add(socket.on('error', () => {}));
      socket.write('SSH-2.0-OpenSSH_9.2p1\r\n');
    });
    banner.listen(0, '127.0.0.1');
    await once(banner, 'listening');
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      banner.close();
    });
    const { port } = banner.address() as AddressInfo;
    const run = await runCheckCli([`http://127.0.0.1:${port}/healthz`]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^error: cannot reach http://127\\.0\\.0\\.1:${port}/healthz: the answer is not HTTP \\(.*\\): is this the API's port\\?$`, 'm'));
  });

  it('does not pass TRACE when a rate limit answered it (429) before any route could', async (t) => {
    const limited = createServer((req, res) => {
      if (req.method === 'TRACE') res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' }).end('{"error":"too many requests"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    limited.listen(0, '127.0.0.1');
    await once(limited, 'listening');
    t.after(() => limited.close());
    const { port } = limited.address() as AddressInfo;
    const report = parseReport(await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--json']));
    const trace = report.checks.find((check) => check.id === 'trace');
    assert.equal(trace?.verdict, 'skipped', trace?.evidence);
    assert.equal(trace?.evidence, 'TRACE /healthz → 429: rate limited; run again when its window has passed');
  });

  it('judges an API from a URL that wants credentials (401): it is there, just not public', async (t) => {
    const app = await startBrokenApp([]);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/api/private`, '--json']);
    const report = parseReport(run);
    assert.equal(report.execution.successful, true, run.stdout);
    assert.deepEqual(report.preconditions, ['GET /api/private → 401']);
    assert.deepEqual(idsWith(report, 'fail'), [], run.stdout);
  });

  it("probes a limit path that answers 404 for an unknown account: a route, since the answer is not the API's unknown-path one", async (t) => {
    const app = await startBrokenApp(['login-404']);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT, '--json']);
    const report = parseReport(run);
    assert.equal(report.checks.find((check) => check.id === 'rate-limit/reached')?.verdict, 'pass', run.stdout);
    assert.equal(report.checks.find((check) => check.id === 'rate-limit/forged-headers')?.verdict, 'pass', run.stdout);
  });

  it('says what the limit path answered when it is not a route, and does not judge the limit', async (t) => {
    const app = await startBrokenApp([]);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, '--limit-path', '/api/nowhere', '--json']);
    const report = parseReport(run);
    assert.deepEqual(report.preconditions, ['GET /healthz → 200', 'GET /api/nowhere → 404']);
    for (const id of ['rate-limit/reached', 'rate-limit/forged-headers', 'rate-limit/retry-after']) {
      const check = report.checks.find((each) => each.id === id);
      assert.equal(check?.verdict, 'skipped', id);
      assert.match(check?.evidence ?? '', /^GET \/api\/nowhere → 404: not a route of the API; give --limit-path/);
    }
  });
});

describe('check with --openapi on a hand-written API', () => {
  it('warns, not fails, when a secured route refuses the {} body as invalid (400) before asking for credentials, and fails when it serves it', async (t) => {
    // POST /api/notes validates, then authenticates (celebrate before passport, say); GET /api/notes has no authentication at all.
    const api = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.url === '/healthz' && req.method === 'GET') return json(200, { status: 'ok' });
        if (req.url === '/api/notes' && req.method === 'POST') {
          if (!body.includes('"text"')) return json(400, { error: 'text is required' });
          return json(req.headers.authorization ? 201 : 401, {});
        }
        if (req.url === '/api/notes' && req.method === 'GET') return json(200, []);
        return json(404, { error: 'not found' });
      });
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    t.after(() => api.close());
    const { port } = api.address() as AddressInfo;
    const dir = tempDir(t);
    const secured = { security: [{ bearer: [] }], responses: { 200: { description: 'ok' } } };
    const document = (paths: Record<string, unknown>) => {
      const path = join(dir, `openapi-${Object.keys(paths).length}.json`);
      writeFileSync(path, JSON.stringify({ openapi: '3.1.0', info: { title: 'notes', version: '1' }, paths: { '/healthz': { get: { responses: { 200: { description: 'up' } } } }, ...paths } }));
      return path;
    };
    const notesPost = { post: { ...secured, requestBody: { content: { 'application/json': {} } } } };
    const validatesFirst = parseReport(await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--openapi', document({ '/api/notes': notesPost }), '--json']));
    const warned = validatesFirst.checks.find((check) => check.id === 'auth/anonymous');
    assert.equal(warned?.verdict, 'warn', warned?.evidence);
    assert.equal(warned?.severity, 'medium');
    assert.match(warned?.evidence ?? '', /^refused as invalid before credentials were asked for: POST \/api\/notes → 400: the body is validated before authentication, or there is none/);
    const open = parseReport(await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--openapi', document({ '/api/notes': { ...notesPost, get: secured } }), '--json']));
    const failed = open.checks.find((check) => check.id === 'auth/anonymous');
    assert.equal(failed?.verdict, 'fail', failed?.evidence);
    assert.match(failed?.evidence ?? '', /^answered without credentials: GET \/api\/notes → 200 \(expected 401 or 403\)$/);
  });
});

describe('check against a limit whose window ends during the forged requests', () => {
  it('does not take a count that started over (a window that ended) for a forged header that worked, with or without --limit-path', async (t) => {
    // Counts per connection's address, never by a header; the window ends just as the X-Real-IP request
    // comes in (a per-second limit does so every second), so that request and every later one start over.
    const counts = new Map<string, number>();
    const limited = createServer((req, res) => {
      if (req.headers['x-real-ip']) counts.clear();
      const limit = req.url === '/login' ? 3 : 100;
      const key = `${req.url} ${req.socket.remoteAddress}`;
      const used = (counts.get(key) ?? 0) + 1;
      counts.set(key, used);
      const headers = { 'content-type': 'application/json', ratelimit: `"${limit}-in-1s"; r=${Math.max(limit - used, 0)}; t=1` };
      if (used > limit) return res.writeHead(429, { ...headers, 'retry-after': '1' }).end('{"error":"too many requests"}');
      if (req.url === '/login') return res.writeHead(401, headers).end('{"error":"wrong password"}');
      res.writeHead(req.url === '/healthz' ? 200 : 404, headers).end('{}');
    });
    limited.listen(0, '127.0.0.1');
    await once(limited, 'listening');
    t.after(() => limited.close());
    const { port } = limited.address() as AddressInfo;
    for (const args of [[], ['--limit-path', '/login', '--limit-method', 'POST']]) {
      counts.clear();
      const report = parseReport(await runCheckCli([`http://127.0.0.1:${port}/healthz`, ...args, '--json']));
      const forged = report.checks.find((check) => check.id === 'rate-limit/forged-headers');
      assert.equal(forged?.verdict, 'skipped', `${args.join(' ')}: ${forged?.evidence}`);
      assert.match(forged?.evidence ?? '', /x-real-ip: 203\.0\.113\.10 → (200|401), a fresh count, but a plain request right after got one too: the limit's window ended in between, so nothing tells a forged header from the window: run again/);
    }
  });
});

describe('check for people and machines', () => {
  it('tells trust proxy true from one hop again in a second run, when the first left the limit used up', async (t) => {
    for (const [flaw, verdict] of [['trust-proxy-true', 'fail'], ['trust-proxy-one', 'warn']] as const) {
      const app = await startBrokenApp([flaw]);
      t.after(() => app.close());
      for (const round of [1, 2]) {
        const report = parseReport(await runCheckCli([`${app.base}/healthz`, ...LIMIT, '--json']));
        const forged = report.checks.find((check) => check.id === 'rate-limit/forged-headers');
        assert.equal(forged?.verdict, verdict, `${flaw}, run ${round}: ${forged?.evidence}`);
        const reached = report.checks.find((check) => check.id === 'rate-limit/reached')?.evidence ?? '';
        assert.match(reached, round === 1 ? /→ 401, then 429 after 6 requests$/ : /→ 429 from the first request: its limit was used up before/);
      }
    }
  });

  it('prints a table with the severity, the evidence and a fix under each failure, after a notice of what it sends', async (t) => {
    const app = await startBrokenApp(WORST);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^check sends at most 300 requests to ${app.base} and nowhere else`));
    assert.match(run.stderr, /POST \/api\/login \{\} until it answers 429/);
    const rows = run.stdout.split('\n');
    assert.match(rows[0] ?? '', new RegExp(`^create-secure-express check ${app.base}/healthz$`));
    for (const check of CHECKS) assert.ok(rows.some((row) => row.includes(check.title)), `a row for ${check.id}`);
    const internals = rows.findIndex((row) => /^ {2}FAIL {2}errors show no internals +\(high\) a stack frame/.test(row));
    assert.ok(internals > 0, run.stdout);
    assert.match(rows[internals + 1] ?? '', /^ +fix: .*\(see src\/http\/error-handler\.ts in a generated project\)$/);
    assert.match(rows.at(-2) ?? '', new RegExp(`^${CHECKS.length} checks: \\d+ failed, \\d+ warned, \\d+ passed, \\d+ skipped; \\d+ requests \\(cap 300\\) in [0-9.]+ s$`));
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
    assert.match(plain, /FAIL {2}no Access-Control-Allow-Origin: \*/);
    assert.doesNotMatch(plain, /\u001B\[\d+m/);
  });

  it('writes SARIF 2.1.0 that the schema accepts: a rule per check with its security-severity, a result per finding located at the URL, the same fingerprints in two runs', async (t) => {
    const app = await startBrokenApp(['cors-defaults', 'json-limit-10mb', 'default-error-handler']);
    t.after(() => app.close());
    const cwd = tempDir(t);
    const refused = await runCheckCli([`${app.base}/healthz`, '--json', '--sarif', 'out/check.sarif'], { cwd });
    assert.equal(refused.code, 2, 'a folder that does not exist is refused before anything is sent');
    assert.match(refused.stderr, /^error: --sarif: the folder .*out does not exist\n$/);
    assert.equal(app.requests(), 0);

    const runs = [];
    for (const file of ['first.sarif', 'second.sarif']) {
      const run = await runCheckCli([`${app.base}/healthz`, '--json', '--sarif', file], { cwd });
      assert.equal(run.code, 1);
      runs.push({ report: parseReport(run), sarif: JSON.parse(readFileSync(join(cwd, file), 'utf8')) });
    }
    assert.deepEqual(readdirSync(cwd).sort(), ['first.sarif', 'second.sarif'], 'the SARIF files and nothing else');
    const [first, second] = runs;
    if (!first || !second) throw new Error('two runs');
    assert.equal(sarifErrors(first.sarif), '', 'valid against the SARIF 2.1.0 schema');
    assert.equal(first.sarif.version, '2.1.0');
    const [sarifRun] = first.sarif.runs;
    assert.deepEqual(sarifRun.invocations, [{ executionSuccessful: true }]);
    type Rule = { id: string; properties: { 'security-severity': string } };
    const rules = sarifRun.tool.driver.rules as Rule[];
    assert.deepEqual(rules.map((rule) => rule.id), CHECKS.map((check) => check.id));
    for (const rule of rules) assert.match(rule.properties['security-severity'], /^\d\.\d$/, rule.id);
    type Result = {
      ruleId: string;
      level: string;
      ruleIndex: number;
      message: { text: string };
      partialFingerprints: Record<string, string>;
      properties: { 'security-severity': string; severity: string };
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    };
    const results = sarifRun.results as Result[];
    const failed = first.report.checks.filter((check) => check.verdict === 'fail' || check.verdict === 'warn');
    assert.deepEqual(
      results.map((result) => [result.ruleId, result.level, rules[result.ruleIndex]?.id, result.properties.severity]),
      failed.map((check) => [check.id, check.verdict === 'fail' ? 'error' : 'warning', check.id, check.severity]),
    );
    assert.deepEqual(idsWith(first.report, 'fail'), ['cors/wildcard', 'errors/body-too-large', 'errors/default-page', 'errors/internals']);
    for (const result of results) {
      const uri = result.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
      assert.ok(uri.startsWith(`${app.base}/`), `${result.ruleId} is located at a URL of the API, not a file: ${uri}`);
      assert.doesNotMatch(result.message.text, /check-not-found-\w|[0-9a-f]{8}\b/, 'no random token in a message');
    }
    const fingerprints = (log: { runs: { results: Result[] }[] }) => log.runs[0]?.results.map((result) => [result.ruleId, result.partialFingerprints]);
    assert.deepEqual(fingerprints(second.sarif), fingerprints(first.sarif), 'the same fingerprints in two runs');
    assert.deepEqual(
      second.sarif.runs[0].results.map((result: Result) => result.message.text),
      results.map((result) => result.message.text),
      'the same messages in two runs',
    );
  });
});

describe('check is bounded', () => {
  it('never sends more than --max-requests, counted by the server, and says which checks it could not run', async (t) => {
    const app = await startBrokenApp([]);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, ...LIMIT, '--json', '--max-requests', '10']);
    const report = parseReport(run);
    assert.equal(app.requests(), 10);
    assert.deepEqual(report.requests, { sent: 10, cap: 10 });
    const capped = report.checks.filter((check) => /request cap \(--max-requests 10\) was reached/.test(check.evidence));
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

  it('never follows a redirect to another host, contacts nothing but the host it was given, and judges nothing behind a redirect', async (t) => {
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
      assert.equal(run.code, 1);
      const report = parseReport(run);
      assert.equal(report.execution.successful, false);
      assert.match(report.execution.reason ?? '', new RegExp(`^GET /healthz → 302 to ${redirectTo}: redirects are not followed`));
      assert.equal(app.connections(), 1, 'one kept-alive connection to the API');
    }
    assert.equal(elsewhere, 0, 'no connection to the host redirected to');
  });

  it('probes several URLs of one origin, and refuses URLs on two', async (t) => {
    const app = await startBrokenApp(['per-route-cors', 'unguarded-route']);
    t.after(() => app.close());
    const run = await runCheckCli([`${app.base}/healthz`, `${app.base}/api/private`, '--json']);
    const report = parseReport(run);
    assert.deepEqual(report.preconditions, ['GET /healthz → 200', 'GET /api/private → 200']);
    assert.deepEqual(idsWith(report, 'fail'), ['cors/other-site']);
    const other = await runCheckCli([`${app.base}/healthz`, `http://localhost:${app.port}/healthz`]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^error: "http:\/\/localhost:\d+\/healthz" is not on http:\/\/127\.0\.0\.1:\d+: check talks to one origin/);
  });

  it('reads --openapi from a URL on the API, counted against the cap, and stops when it is not there', async (t) => {
    const app = await startBrokenApp(['unguarded-route']);
    t.after(() => app.close());
    const report = parseReport(await runCheckCli([`${app.base}/healthz`, '--openapi', `${app.base}/openapi.json`, '--json']));
    assert.deepEqual(idsWith(report, 'fail'), ['auth/anonymous']);
    assert.equal(report.requests.sent, app.requests());
    const missing = await runCheckCli([`${app.base}/healthz`, '--openapi', `${app.base}/no-document.json`, '--json']);
    assert.equal(missing.code, 1);
    assert.deepEqual(parseReport(missing).execution, { successful: false, reason: '--openapi: GET /no-document.json → 404: expected 200 and an OpenAPI document' });
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

describe('check against APIs as they are deployed', () => {
  it('asks for compressed answers as a browser does and reads them: a stack in a gzip or br error body is a leak', async (t) => {
    const stack = 'TypeError: boom\n    at handler (/srv/app/src/routes/items.js:12:7)';
    const asked: string[] = [];
    // Brotli when asked for, else gzip whether asked or not (a proxy or server that always compresses).
    const compressing = createServer((req, res) => {
      asked.push(req.headers['accept-encoding'] ?? '');
      const [status, body] = req.url === '/healthz' && req.method === 'GET' ? [200, '{"status":"ok"}'] : [400, JSON.stringify({ error: 'bad request', stack })];
      const brotli = /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
      res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': brotli ? 'br' : 'gzip', vary: 'Accept-Encoding' });
      res.end(brotli ? brotliCompressSync(body) : gzipSync(body));
    });
    compressing.listen(0, '127.0.0.1');
    await once(compressing, 'listening');
    t.after(() => compressing.close());
    const { port } = compressing.address() as AddressInfo;
    const report = parseReport(await runCheckCli([`http://127.0.0.1:${port}/healthz`, '--json']));
    assert.ok(asked.length > 0 && asked.every((value) => value === 'gzip, deflate, br'), `Accept-Encoding sent: ${[...new Set(asked)].join(' | ')}`);
    const internals = report.checks.find((check) => check.id === 'errors/internals');
    assert.equal(internals?.verdict, 'fail');
    assert.match(internals?.evidence ?? '', /^a stack frame: "at handler \(\/srv\/app\/src\/routes\/items\.js:12:7\)"/);
    // Not Express's page: its default handler is not named as the cause.
    assert.equal(internals?.fix.text, 'Answer errors from a handler of your own that sends a fixed message per status and logs the rest');

    const unasked = createServer((req, res) => {
      const [status, body] = req.url === '/healthz' && req.method === 'GET' ? [200, '{"status":"ok"}'] : [404, JSON.stringify({ error: 'not found', stack })];
      res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(body));
    });
    unasked.listen(0, '127.0.0.1');
    await once(unasked, 'listening');
    t.after(() => unasked.close());
    const gzipped = parseReport(await runCheckCli([`http://127.0.0.1:${(unasked.address() as AddressInfo).port}/healthz`, '--json']));
    assert.equal(gzipped.checks.find((check) => check.id === 'errors/internals')?.verdict, 'fail', 'gzip sent whether asked or not is read too');
  });

  it('reads a body that says gzip but is not (a misconfigured server) as an empty answer, not a crash', async (t) => {
    const mislabeled = createServer((req, res) => {
      const status = req.url === '/healthz' && req.method === 'GET' ? 200 : 404;
      res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(JSON.stringify({ status }));
    });
    mislabeled.listen(0, '127.0.0.1');
    await once(mislabeled, 'listening');
    t.after(() => mislabeled.close());
    const run = await runCheckCli([`http://127.0.0.1:${(mislabeled.address() as AddressInfo).port}/healthz`, '--json']);
    const report = parseReport(run);
    assert.equal(report.execution.successful, true, run.stderr);
    assert.ok(report.requests.sent > 5, `${report.requests.sent} requests`);
  });

  it("does not pass csrf/simple-body when a proxy's limit (nginx limit_req's own 503 page) answered the bodies before the route saw them", async (t) => {
    const page = '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
    const limited = createServer((req, res) => {
      if (req.url === '/healthz' && req.method === 'GET') res.writeHead(200, { 'content-type': 'application/json', server: 'nginx/1.22.1' }).end('{"status":"ok"}');
      else res.writeHead(503, { 'content-type': 'text/html', server: 'nginx/1.22.1' }).end(page);
    });
    limited.listen(0, '127.0.0.1');
    await once(limited, 'listening');
    t.after(() => limited.close());
    const report = parseReport(await runCheckCli([`http://127.0.0.1:${(limited.address() as AddressInfo).port}/healthz`, '--json']));
    const simple = report.checks.find((check) => check.id === 'csrf/simple-body');
    assert.equal(simple?.verdict, 'skipped', simple?.evidence);
    assert.match(simple?.evidence ?? '', /→ 503.*: rate limited before every body was judged/);
  });

  it('does not pass csrf/simple-body when the route\'s limit answered some of the bodies (429) before the route saw them', async (t) => {
    // A route under a small limit of its own (3 a minute), as a login is: the malformed and oversized
    // bodies use two, text/plain the third, and the form bodies meet the limiter, not the route.
    const app = express();
    app.use(ITEMS_PATH, rateLimit({ windowMs: 60_000, limit: 3, standardHeaders: 'draft-8', legacyHeaders: false }));
    app.use(express.json({ limit: '100kb' }));
    app.use(express.urlencoded({ extended: false }));
    app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
    app.post(ITEMS_PATH, (req, res) => void (req.is('application/json') || req.is('application/x-www-form-urlencoded') ? res.status(201).json({}) : res.status(415).json({})));
    app.use(((_err, _req, res, _next) => void res.status(400).json({})) as ErrorRequestHandler);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => server.close());
    const report = parseReport(await runCheckCli([`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`, '--json-path', ITEMS_PATH, '--json']));
    const simple = report.checks.find((check) => check.id === 'csrf/simple-body');
    assert.equal(simple?.verdict, 'skipped', simple?.evidence);
    assert.match(simple?.evidence ?? '', /^POST \/api\/items: text\/plain → 415, application\/x-www-form-urlencoded → 429, multipart\/form-data → 429: rate limited before every body was judged/);
  });

  it('says in one line that a certificate is not trusted and how to trust a private CA; with NODE_EXTRA_CA_CERTS it checks the API', async (t) => {
    const dir = tempDir(t);
    const certificate = makeCertificate(dir);
    const app = await startBrokenApp([], { tls: certificate });
    t.after(() => app.close());
    const untrusted = await runCheckCli([`${app.base}/healthz`, '--json']);
    assert.equal(untrusted.code, 1);
    const reason = `cannot reach ${app.base}/healthz: the certificate is not trusted (self-signed certificate): for a private CA, run check with NODE_EXTRA_CA_CERTS=<the CA's certificate, PEM>`;
    assert.deepEqual(parseReport(untrusted).execution, { successful: false, reason });
    assert.equal(untrusted.stderr.split('\n').filter((line) => line.startsWith('error:')).join('\n'), `error: ${reason}`);
    const trusted = parseReport(await runCheckCli([`${app.base}/healthz`, '--json'], { env: { NODE_EXTRA_CA_CERTS: certificate.certPath } }));
    assert.equal(trusted.execution.successful, true);
    assert.equal(trusted.checks.find((check) => check.id === 'headers/hsts')?.verdict, 'pass');
  });
});

/** nginx in front, as it is usually set up: every path to the app, X-Forwarded-For with the address it saw appended. */
const NGINX_PROXY = 'location / {\n  proxy_pass http://app;\n  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n}';
const verdictOf = (report: ReturnType<typeof parseReport>, id: string) => report.checks.find((check) => check.id === id);

describe('check through a real nginx', { skip: NGINX ? false : 'nginx is not installed' }, () => {
  const throughNginx = async (t: { after: (fn: () => Promise<void>) => void }, flaws: readonly Flaw[], server: string, args: readonly string[] = []) => {
    const app = await startBrokenApp(flaws);
    t.after(() => app.close());
    const nginx = await startNginx(app.port, server);
    t.after(() => nginx.close());
    const run = await runCheckCli([`${nginx.base}/healthz`, '--json', ...args]);
    const report = parseReport(run);
    assert.equal(report.execution.successful, true, run.stderr);
    return report;
  };

  it('passes forged-headers for trust proxy 1 behind nginx appending X-Forwarded-For, and fails it (high) for trust proxy true, for nginx passing the header on, and for one hop too many', async (t) => {
    const correct = await throughNginx(t, ['trust-proxy-one'], NGINX_PROXY, LIMIT);
    assert.equal(verdictOf(correct, 'rate-limit/forged-headers')?.verdict, 'pass', verdictOf(correct, 'rate-limit/forged-headers')?.evidence);
    const anyHop = await throughNginx(t, ['trust-proxy-true'], NGINX_PROXY, LIMIT);
    assert.match(verdictOf(anyHop, 'rate-limit/forged-headers')?.evidence ?? '', /keys on the leftmost entry, which the client writes$/);
    // nginx passes a client's X-Forwarded-For on as it came unless told to append to it.
    const passedOn = await throughNginx(t, ['trust-proxy-one'], 'location / {\n  proxy_pass http://app;\n}', LIMIT);
    const hopTooMany = await throughNginx(t, ['trust-proxy-two'], NGINX_PROXY, LIMIT);
    for (const report of [passedOn, hopTooMany]) {
      const forged = verdictOf(report, 'rate-limit/forged-headers');
      assert.equal(forged?.verdict, 'fail', forged?.evidence);
      assert.equal(forged?.severity, 'high');
      assert.match(forged?.evidence ?? '', /through nginx\/[\d.]+, and a hop from check's own address \(127\.0\.0\.1\) is not believed, .*: any client of nginx\/[\d.]+ picks the address it is counted under: the proxy passes the client's X-Forwarded-For on without appending/);
      assert.match(forged?.fix.text ?? '', /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for/);
    }
  });

  it("does not judge nginx's own error pages (413, TRACE) for headers, warns of them with the proxy's fix, and fails its version in Server", async (t) => {
    const report = await throughNginx(t, [], NGINX_PROXY);
    assert.match(verdictOf(report, 'errors/body-too-large')?.evidence ?? '', /^POST \/check-not-found → 413, answered by nginx\/[\d.]+ itself: the app's own limit is behind it/);
    for (const id of ['headers/csp', 'headers/nosniff', 'headers/framing', 'headers/no-store']) {
      const header = verdictOf(report, id);
      assert.equal(header?.verdict, 'pass', `${id}: ${header?.evidence}`);
      assert.match(header?.evidence ?? '', /; not judged: POST \/check-not-found → 413, TRACE \/healthz → 405, answered by nginx\/[\d.]+ itself/);
    }
    const page = verdictOf(report, 'errors/default-page');
    assert.equal(page?.verdict, 'warn', 'the app behind it is right');
    assert.equal(page?.severity, 'low');
    assert.match(page?.evidence ?? '', /^nginx\/[\d.]+'s own error page in POST \/check-not-found → 413, TRACE \/healthz → 405$/);
    assert.match(page?.fix.text ?? '', /^The proxy in front answered these itself, before the app saw them/);
    const server = verdictOf(report, 'headers/powered-by');
    assert.equal(server?.verdict, 'fail');
    assert.match(server?.evidence ?? '', /^Server: nginx\/[\d.]+ on /);
    assert.match(server?.fix.text ?? '', /server_tokens off/);

    // The table names no file of a generated project for a fix that belongs in the proxy.
    const app = await startBrokenApp([]);
    t.after(() => app.close());
    const nginx = await startNginx(app.port, NGINX_PROXY);
    t.after(() => nginx.close());
    const table = await runCheckCli([`${nginx.base}/healthz`]);
    assert.match(table.stdout, /^ +fix: Take the version out of the Server header of the proxy in front \(nginx: server_tokens off; Apache: ServerTokens Prod\)$/m);
    assert.match(table.stdout, /^ +fix: The proxy in front answered these itself, .*problem\+json\)$/m);

    const quiet = await throughNginx(t, [], `server_tokens off;\n${NGINX_PROXY}`);
    assert.equal(verdictOf(quiet, 'headers/powered-by')?.verdict, 'pass', verdictOf(quiet, 'headers/powered-by')?.evidence);
  });

  it('names the proxy as a cause when only preflights lack a header, as when nginx answers OPTIONS itself', async (t) => {
    const preflights = 'if ($request_method = OPTIONS) {\n  add_header Access-Control-Allow-Origin https://app.example.com;\n  return 204;\n}';
    const report = await throughNginx(t, [], `location / {\n  ${preflights.replaceAll('\n', '\n  ')}\n  proxy_pass http://app;\n  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n}`);
    const nosniff = verdictOf(report, 'headers/nosniff');
    assert.equal(nosniff?.verdict, 'fail');
    assert.match(nosniff?.evidence ?? '', /^no X-Content-Type-Options on \d+ of \d+ responses: OPTIONS \/healthz → 204(, OPTIONS \/healthz → 204)*(;|$)/);
    assert.match(nosniff?.fix.text ?? '', /^Send it on preflights too: if nginx\/[\d.]+ answers OPTIONS itself/);
  });

  it("names add_header's missing `always` when nginx adds a header to successes only", async (t) => {
    // helmet() as it comes sends no Cache-Control: here nginx adds it, to 2xx and 3xx answers only.
    const successesOnly = await throughNginx(t, ['helmet-defaults'], `add_header Cache-Control no-store;\n${NGINX_PROXY}`);
    const noStore = verdictOf(successesOnly, 'headers/no-store');
    assert.equal(noStore?.verdict, 'fail');
    assert.doesNotMatch(noStore?.evidence ?? '', /GET \/healthz → 200/);
    assert.match(noStore?.fix.text ?? '', /^Send it on errors too: the answers came through nginx\/[\d.]+, whose add_header leaves 4xx and 5xx answers out unless it ends with `always`/);
    const always = await throughNginx(t, ['helmet-defaults'], `add_header Cache-Control no-store always;\n${NGINX_PROXY}`);
    assert.equal(verdictOf(always, 'headers/no-store')?.verdict, 'pass', verdictOf(always, 'headers/no-store')?.evidence);
  });

  it('probes the paths of a document that names them without the prefix nginx strips (location /v2/), under that prefix', async (t) => {
    const app = await startBrokenApp([]);
    t.after(() => app.close());
    const nginx = await startNginx(app.port, 'location /v2/ {\n  proxy_pass http://app/;\n  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n}');
    t.after(() => nginx.close());
    const document = join(tempDir(t), 'openapi.json');
    writeFileSync(document, JSON.stringify(OPENAPI_DOCUMENT));
    const run = await runCheckCli([`${nginx.base}/v2/healthz`, '--openapi', document, '--json']);
    const report = parseReport(run);
    assert.match(run.stderr, /^ {2}the document's paths under \/v2, where the URLs named show the API/m);
    assert.equal(verdictOf(report, 'auth/anonymous')?.evidence, '1 secured operations → 401');
    assert.equal(verdictOf(report, 'errors/malformed-json')?.evidence, 'POST /v2/api/items → 400; POST /v2/api/login → 400');
    assert.match(verdictOf(report, 'cors/other-site')?.evidence ?? '', /requests to \/v2\/healthz, \/v2\/api\/private, \/v2\/api\/items and 1 more$/);
  });

  it("takes nginx limit_req's 503 for the limit it is, with a low warning for its status, and judges forged headers on it", async (t) => {
    const app = await startBrokenApp(['no-rate-limit', 'trust-proxy-true']);
    t.after(() => app.close());
    const limited = `location = ${LOGIN_PATH} {\n  limit_req zone=login burst=4 nodelay;\n  proxy_pass http://app;\n}\n${NGINX_PROXY}`;
    const nginx = await startNginx(app.port, limited, { http: 'limit_req_zone $binary_remote_addr zone=login:1m rate=6r/m;' });
    t.after(() => nginx.close());
    const report = parseReport(await runCheckCli([`${nginx.base}/healthz`, ...LIMIT, '--json']));
    const reached = verdictOf(report, 'rate-limit/reached');
    assert.equal(reached?.verdict, 'warn', reached?.evidence);
    assert.equal(reached?.severity, 'low');
    assert.match(reached?.evidence ?? '', /^POST \/api\/login → 503, nginx\/[\d.]+'s own page, after \d requests, 401 before: the proxy limits the path, but with 503/);
    assert.match(reached?.fix.text ?? '', /limit_req_status 429/);
    // nginx counts the address it sees, whatever X-Forwarded-For says and however the app trusts it.
    assert.equal(verdictOf(report, 'rate-limit/forged-headers')?.verdict, 'pass', verdictOf(report, 'rate-limit/forged-headers')?.evidence);
    assert.match(verdictOf(report, 'rate-limit/retry-after')?.evidence ?? '', /→ 503: neither Retry-After nor RateLimit headers/);
  });

  it('judges HSTS over https through nginx, and says that an http:// URL reached its https port', async (t) => {
    const certificate = makeCertificate(tempDir(t));
    const app = await startBrokenApp(['trust-proxy-one']);
    t.after(() => app.close());
    const nginx = await startNginx(app.port, `server_tokens off;\n${NGINX_PROXY}`, { tls: certificate });
    t.after(() => nginx.close());
    const report = parseReport(await runCheckCli([`${nginx.base}/healthz`, '--json'], { env: { NODE_EXTRA_CA_CERTS: certificate.certPath } }));
    assert.equal(verdictOf(report, 'headers/hsts')?.verdict, 'pass', verdictOf(report, 'headers/hsts')?.evidence);
    const plain = await runCheckCli([`${nginx.base.replace('https:', 'http:')}/healthz`]);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /^error: GET \/healthz → 400: this port speaks https: give an https:\/\/ URL$/m);
  });

  it("names nginx's client_header_timeout when nginx, not the app, holds a slow header block (--slow)", async (t) => {
    const held = await throughNginx(t, [], NGINX_PROXY, ['--slow']);
    const slow = verdictOf(held, 'slow-headers');
    assert.equal(slow?.verdict, 'fail');
    assert.match(slow?.evidence ?? '', /^still reading headers after 20 s \(\d+ lines\): .* of nginx\/[\d.]+, which reads the headers before the app sees anything$/);
    assert.match(slow?.fix.text ?? '', /nginx: client_header_timeout 10s/);
    const cut = await throughNginx(t, [], `client_header_timeout 3s;\n${NGINX_PROXY}`, ['--slow']);
    assert.match(verdictOf(cut, 'slow-headers')?.evidence ?? '', /^the header block was cut off after [2-4]\.\d s/);
  });

  it('says that nginx answered 502 itself when the app behind it is down', async (t) => {
    const app = await startBrokenApp([]);
    const { port } = app;
    await app.close();
    const nginx = await startNginx(port, NGINX_PROXY);
    t.after(() => nginx.close());
    const run = await runCheckCli([`${nginx.base}/healthz`]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: GET \/healthz → 502, answered by nginx\/[\d.]+ itself: the app behind it did not answer \(it is down, or not where the proxy sends requests\); nothing was judged$/m);
  });
});

/** Bad usage: exit 2, one line naming the flag and what it accepts, nothing sent, nothing printed. */
const BAD_USAGE: readonly { args: readonly string[]; names: RegExp }[] = [
  { args: [], names: /check needs the URL of a running API/ },
  { args: ['localhost:3000'], names: /"localhost:3000" is not an http:\/\/ or https:\/\/ URL/ },
  { args: ['not a url'], names: /"not a url" is not a URL/ },
  { args: ['ftp://example.com/'], names: /not an http:\/\/ or https:\/\/ URL/ },
  { args: ['https://user:pw@example.com/'], names: /carries a user name or password/ },
  { args: ['http://127.0.0.1:9/', 'http://127.0.0.1:10/'], names: /"http:\/\/127\.0\.0\.1:10\/" is not on http:\/\/127\.0\.0\.1:9: check talks to one origin/ },
  { args: ['http://127.0.0.1:9/', '--openapi', 'no-such-file.json'], names: /--openapi: "no-such-file\.json" is not a file or an http\(s\) URL/ },
  { args: ['http://127.0.0.1:9/', '--openapi', 'http://127.0.0.1:10/openapi.json'], names: /--openapi: "http:\/\/127\.0\.0\.1:10\/openapi\.json" is not on http:\/\/127\.0\.0\.1:9/ },
  { args: ['http://127.0.0.1:9/', '--openapi', 'package.json'], names: /--openapi: .*package\.json is not an OpenAPI 3 document/ },
  { args: ['http://127.0.0.1:9/', '--frobnicate'], names: /unknown option --frobnicate for check/ },
  { args: ['http://127.0.0.1:9/', '--max-requests', '0'], names: /--max-requests: "0" is not accepted: expected an integer from 1 to 5000/ },
  { args: ['http://127.0.0.1:9/', '--max-requests'], names: /--max-requests needs a value/ },
  { args: ['http://127.0.0.1:9/', '--timeout', '1.5'], names: /--timeout: "1\.5" is not accepted: expected an integer from 100 to 120000/ },
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
    assert.match(run.stdout, /^Usage: create-secure-express check <url> \[<url>...\] \[options\]$/m);
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
