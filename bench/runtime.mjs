// Runtime: the generated API with every protection on against a bare Express 5 app doing the same work
// and answering the same JSON, both on Node 24 on 127.0.0.1 and on the same SQLite file, loaded by wrk
// one after the other, on two authenticated routes: the caller (`GET /api/v1/users/me`, a user's bearer
// token) and a page of the user list (`GET /api/v1/users?limit=10`, an admin's). Then the cost of each
// layer, from copies of the built app with one layer taken out (see bench/variants.mjs). The users are
// made and verified through the API (sign-up, then the link of the verification mail the sink caught).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifiedAccount } from './accounts.mjs';
import { envWith, generatedProject, log, median, PRODUCTION, ratio, row, runAlone, tempDir, timed, WARM_CACHE } from './lib.mjs';
import { startMailSink } from './mail-sink.mjs';
import { sendExpecting, startServer } from './servers.mjs';
import { VARIANTS, makeVariant } from './variants.mjs';

const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = Number(process.env.BENCH_WARMUP || 2);
const VARIANT_DURATION = Number(process.env.BENCH_VARIANT_DURATION || 3);
const VARIANT_ROUNDS = Number(process.env.BENCH_VARIANT_ROUNDS || 3);
// BENCH_HOLD=1 seeds, starts both apps, prints where they are and waits for Ctrl-C: for profiling by hand.
const HOLD = process.env.BENCH_HOLD === '1';
// BENCH_LAYERS=0 measures the two routes alone, without the per-layer copies (a quicker check).
const LAYERS = process.env.BENCH_LAYERS !== '0';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const SEED_USERS = 20;
const PASSWORD = (i) => `correct horse battery ${i}`;
const ADMIN = 'user00@example.com';
const USER = 'user01@example.com';
// What is loaded: the route, and whose token goes with it. The first is the one the targets were set on
// (issue 11's authenticated route); the layers are measured on the second, the route with validation.
const TARGETS = [
  { id: 'me', path: '/api/v1/users/me', who: 'user' },
  { id: 'list', path: '/api/v1/users?limit=10', who: 'admin' },
];
// Counts every request but never limits a load test (the variable's largest accepted value).
const RATE_LIMIT_GLOBAL = '999999/1h';
// Issue 23's targets for a signed-in request against bare Express doing the same lookup.
const TARGET_THROUGHPUT = 0.7;
const TARGET_P99 = 1.5;
// What Express and Node write on every response themselves: the bare app sends its own.
const EXPRESS_OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'transfer-encoding', 'etag']);

function requireWrk() {
  if (spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error('wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`, then run the bench again');
  }
}

const UNITS = { us: 1e-3, ms: 1, s: 1000 };
const millis = (text) => {
  const [, value, unit] = /^([\d.]+)(us|ms|s)$/.exec(text) ?? [];
  if (value === undefined) throw new Error(`unreadable wrk latency: ${text}`);
  return Number(value) * UNITS[unit];
};

/**
 * CPU seconds a process has used (user + system, from /proc): CPU per request is far steadier than
 * req/s on a small or shared machine, where wrk and other work compete for the same cores.
 */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** One wrk run against 127.0.0.1 for a bounded time, with a bearer token; throws if any response was not a 2xx. */
function wrk(base, path, token, seconds) {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', '--latency', '-H', `Authorization: Bearer ${token}`, `${base}${path}`];
  const { stdout } = timed('wrk', args, { timeout: (seconds + 30) * 1000 });
  if (/Non-2xx or 3xx responses: (\d+)/.test(stdout) || /Socket errors/.test(stdout)) {
    throw new Error(`wrk saw failed requests (rate limited? session expired?):\n${stdout}`);
  }
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const p99 = millis(/^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  const p50 = millis(/^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  return { rps, p50, p99, requests };
}

async function load(server, target, token, seconds, warmup = WARMUP) {
  if (warmup > 0) wrk(server.base, target.path, token, warmup);
  const cpuBefore = cpuSeconds(server.pid);
  const result = wrk(server.base, target.path, token, seconds);
  return { ...result, cpu: ((cpuSeconds(server.pid) - cpuBefore) / result.requests) * 1e6 };
}

/**
 * Users created and verified through the API itself, so the database holds what real requests put
 * there; the first made an admin the one way there is (`npm run user:role`), then a session for each
 * of two users.
 */
async function seed(project, env, mailSink, logFile) {
  const server = await startServer(join(project.node24, 'node'), project.dir, 'dist/server.js', { ...env, RATE_LIMIT_AUTH: '999999/1h' }, logFile);
  try {
    for (let i = 0; i < SEED_USERS; i++) {
      const email = `user${String(i).padStart(2, '0')}@example.com`;
      await verifiedAccount(server.base, mailSink, { email, password: PASSWORD(i), name: `User ${i}` });
    }
    timed('npm', ['run', 'user:role', '--', ADMIN, 'admin'], { cwd: project.dir, env });
    const login = async (email, i) => (await sendExpecting(200, server.base, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD(i) } })).json.token;
    return { admin: await login(ADMIN, 0), user: await login(USER, 1) };
  } finally {
    await server.stop();
  }
}

/**
 * A bare Express 5 app doing what the two routes do, with no layer at all: the bearer token's SHA-256
 * looked up in the same SQLite file with the same join and expiry conditions (and the same last-use
 * write at most once a minute), the admin check for the list, the same page query and the same JSON.
 */
const BARE_APP = `import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import express from 'express';

const IDLE_MS = 30 * 60_000; // SESSION_IDLE_TIMEOUT's default
const TOUCH_EVERY_MS = 60_000;
const db = new DatabaseSync(process.env.DATABASE_PATH);
db.exec('PRAGMA busy_timeout = 5000');
const sessionOf = db.prepare(
  'select sessions.last_used_at, sessions.expires_at, users.id, users.email, users.name, users.role from sessions ' +
    'inner join users on users.id = sessions.user_id where sessions.id = ? and sessions.expires_at > ? and sessions.last_used_at > ?',
);
const touch = db.prepare('update sessions set last_used_at = ? where id = ?');
// The limit cast as the generated app casts it: SQLite compiles a statement again each time a bare
// \`limit ?\` is bound, which would make the bare app pay for a re-prepare the generated one avoids.
const firstPage = db.prepare('select id, email, name, role, created_at from users order by created_at, id limit cast(? as integer)');
const publicUser = ({ id, email, name, role }) => ({ id, email, name, role });

function caller(req) {
  const token = /^bearer ([A-Za-z0-9_-]{43})$/i.exec(req.get('authorization') ?? '')?.[1];
  if (token === undefined) return undefined;
  const id = createHash('sha256').update(token).digest('base64url');
  const now = Date.now();
  const row = sessionOf.get(id, now, now - IDLE_MS);
  if (row === undefined) return undefined;
  if (now - row.last_used_at >= TOUCH_EVERY_MS) touch.run(now, id);
  return publicUser(row);
}

const app = express();
// BARE_HEADERS: [name, value] pairs set on every response, as fixed strings (the generated app's own,
// to measure what sending them costs bare Express); ETag off then, as the generated app has it.
const extraHeaders = JSON.parse(process.env.BARE_HEADERS ?? '[]');
if (extraHeaders.length > 0) {
  app.set('etag', false);
  app.use((_req, res, next) => {
    for (const [name, value] of extraHeaders) res.setHeader(name, value);
    next();
  });
}
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.get('/api/v1/users/me', (req, res) => {
  const user = caller(req);
  if (user === undefined) return res.status(401).end();
  res.json(user);
});
app.get('/api/v1/users', (req, res) => {
  const user = caller(req);
  if (user === undefined) return res.status(401).end();
  if (user.role !== 'admin') return res.status(403).end();
  const limit = Number(req.query.limit ?? 20);
  const rows = firstPage.all(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? Buffer.from(\`\${last.created_at}.\${last.id}\`).toString('base64url') : null;
  res.json({ items: page.map(publicUser), nextCursor });
});
app.listen(Number(process.env.PORT), process.env.HOST);
`;

function bareApp(expressRange, env) {
  const dir = tempDir('cse-bench-bare-');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'bare', private: true, type: 'module', dependencies: { express: expressRange } }, null, 2)}\n`);
  writeFileSync(join(dir, 'server.js'), BARE_APP);
  log('bare app: npm install express (same cache) ...');
  timed('npm', ['install', '--prefer-offline', '--loglevel=error'], { cwd: dir, env });
  return dir;
}

const figure = (r) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, CPU ${r.cpu.toFixed(0)} us/req`;
const mean = (list, key) => list.reduce((sum, r) => sum + r[key], 0) / list.length;

/**
 * One route, generated against bare: a fresh generated server (its rate-limit counts start at zero),
 * the same JSON checked byte for byte, then wrk in both orders (A B B A), so drift on the machine
 * hurts both alike; the idle one waits and costs nothing.
 */
async function compare(target, token, start, bare, logDir) {
  const hardened = await start('dist/server.js', `hardened-${target.id}.log`);
  let headed;
  let headerCount = 0;
  const results = { hardened: [], bare: [], headed: [] };
  try {
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const answer = await sendExpecting(200, hardened.base, 'GET', target.path, auth);
    const bareBody = (await sendExpecting(200, bare.base, 'GET', target.path, auth)).text;
    if (bareBody !== answer.text) throw new Error(`the bare app's JSON differs from the generated app's on ${target.path}:\n${bareBody}\n${answer.text}`);
    const headers = Object.entries(answer.headers).filter(([name]) => !EXPRESS_OWN_HEADERS.has(name));
    headed = await start('server.js', `bare-headers-${target.id}.log`, bare.dir, { BARE_HEADERS: JSON.stringify(headers) });
    const headedAnswer = await sendExpecting(200, headed.base, 'GET', target.path, auth);
    if (headedAnswer.text !== answer.text || headers.some(([name, value]) => headedAnswer.headers[name] !== value)) throw new Error(`the bare app with headers answers differently on ${target.path}`);
    headerCount = headers.length;
    log(`runtime: GET ${target.path}, generated vs bare vs bare with the generated app's ${headers.length} headers, ${DURATION} s each, A B C C B A ...`);
    const servers = { hardened, bare, headed };
    for (const which of ['hardened', 'bare', 'headed', 'headed', 'bare', 'hardened']) {
      const result = await load(servers[which], target, token, DURATION);
      log(`  ${which}: ${figure(result)}`);
      results[which].push(result);
    }
  } finally {
    await hardened.stop();
    await headed?.stop();
  }
  const loggedLines = readFileSync(join(logDir, `hardened-${target.id}.log`), 'utf8').split('\n').length - 1;
  const [h, b, hb] = ['hardened', 'bare', 'headed'].map((which) => ({ rps: mean(results[which], 'rps'), p50: mean(results[which], 'p50'), p99: mean(results[which], 'p99'), cpu: mean(results[which], 'cpu') }));
  const name = `GET ${target.path.replace('/api/v1', '')} (${target.who})`;
  return [
    row('runtime', `${name}: bare Express 5, same lookup (mean of 2 x ${DURATION} s)`, figure(b)),
    row(
      'runtime',
      `${name}: bare, plus the generated app's ${headerCount} response headers as fixed strings, ETag off (mean of 2 x ${DURATION} s)`,
      `${figure(hb)}; the headers cost bare ${(hb.cpu - b.cpu).toFixed(0)} us of CPU a request (${ratio(hb.rps / b.rps)} its throughput)`,
    ),
    row('runtime', `${name}: generated, every layer on (mean of 2 x ${DURATION} s)`, `${figure(h)}; ${loggedLines} log lines`),
    row('runtime', `${name}: throughput, generated / bare`, ratio(h.rps / b.rps), `>= ${ratio(TARGET_THROUGHPUT)}`, h.rps / b.rps >= TARGET_THROUGHPUT),
    row('runtime', `${name}: p99 latency, generated / bare`, ratio(h.p99 / b.p99), `<= ${ratio(TARGET_P99)}`, h.p99 / b.p99 <= TARGET_P99),
    row('runtime', `${name}: server CPU per request, generated / bare`, `${ratio(h.cpu / b.cpu)} (${h.cpu - b.cpu >= 0 ? '+' : '-'}${Math.abs(h.cpu - b.cpu).toFixed(0)} us)`),
  ];
}

/**
 * The cost of each layer: copies of dist/ with one layer out, loaded on the list route (the one with
 * validation) as the admin. Every variant runs at once (idle ones cost nothing), is warmed up, then
 * loaded in turn, round after round, and the median of the rounds is kept: a burst of other work on the
 * machine then spoils one round, not a layer.
 */
async function layers(dir, token, start) {
  const target = TARGETS.find((t) => t.id === 'list');
  const variantsDir = join(dir, 'bench-variants');
  mkdirSync(variantsDir, { recursive: true });
  log(`runtime: ${VARIANTS.length} variants on GET ${target.path}, ${VARIANT_ROUNDS} rounds of ${VARIANT_DURATION} s each ...`);
  const servers = [];
  const measured = VARIANTS.map((variant) => ({ variant, runs: [] }));
  try {
    for (const variant of VARIANTS) servers.push(await start('server.js', `${variant.id}.log`, makeVariant(dir, variantsDir, variant)));
    // Every copy warmed up as long as a round first: compiled code, grown heaps and a page cache for all alike.
    for (const server of servers) wrk(server.base, target.path, token, VARIANT_DURATION);
    for (let round = 0; round < VARIANT_ROUNDS; round++) {
      for (const [i, { variant, runs }] of measured.entries()) {
        const result = await load(servers[i], target, token, VARIANT_DURATION, 0);
        log(`  round ${round + 1}, ${variant.label}: ${figure(result)}`);
        runs.push(result);
      }
    }
  } finally {
    for (const server of servers) await server.stop();
  }
  const summary = measured.map(({ variant, runs }) => ({
    variant,
    rps: median(runs.map((r) => r.rps)),
    p99: median(runs.map((r) => r.p99)),
    cpu: median(runs.map((r) => r.cpu)),
  }));
  const allOn = summary[0];
  return summary.map(({ variant, rps, p99, cpu }) =>
    row(
      'layers',
      variant.label,
      variant === VARIANTS[0]
        ? `${rps.toFixed(0)} req/s, p99 ${p99.toFixed(2)} ms, CPU ${cpu.toFixed(0)} us/req`
        : `${rps.toFixed(0)} req/s (${ratio(rps / allOn.rps)}), p99 ${p99.toFixed(2)} ms, CPU ${cpu.toFixed(0)} us/req: the layer costs ${(allOn.cpu - cpu).toFixed(0)} us`,
    ),
  );
}

/** Both apps left running, seeded, for a profiler: their addresses, process ids and tokens on stdout. */
async function hold(start, bare, tokens, dir) {
  const hardened = await start('dist/server.js', 'hardened.log');
  try {
    const servers = Object.fromEntries(Object.entries({ hardened, bare }).map(([name, { base, pid }]) => [name, { base, pid }]));
    console.log(JSON.stringify({ project: dir, servers, tokens, routes: TARGETS }, null, 2));
    log('holding both servers: Ctrl-C (SIGINT) stops them');
    await new Promise((resolve) => process.once('SIGINT', resolve));
  } finally {
    await hardened.stop();
    await bare.stop();
  }
  return [];
}

export async function runtimeBench() {
  requireWrk();
  const project = generatedProject('sqlite');
  const mailSink = await startMailSink();
  try {
    return await measure(project, mailSink);
  } finally {
    await mailSink.stop();
  }
}

async function measure(project, mailSink) {
  const { dir, env: projectEnv, node24 } = project;
  const data = tempDir('cse-bench-data-');
  const env = { ...projectEnv, ...PRODUCTION, RATE_LIMIT_GLOBAL, DATABASE_PATH: join(data, 'app.db'), ...mailSink.env };
  const logs = tempDir('cse-bench-logs-');
  const version = timed(join(node24, 'node'), ['--version']).stdout.trim();
  const expressRange = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies.express;
  const rows = [
    row(
      'runtime',
      'setup',
      `Node ${version.slice(1)}, NODE_ENV=production, RATE_LIMIT_GLOBAL=${RATE_LIMIT_GLOBAL} (counts, never limits), SQLite file, logs to a file, wrk -t1 -c${CONNECTIONS} after ${WARMUP} s warm-up, bearer tokens, ${SEED_USERS} users`,
    ),
  ];

  // The generated app exactly as built (dist/server.js), seeded through its own API.
  log('runtime: seeding the generated app through its API (20 verified sign-ups, an admin, two sessions) ...');
  const tokens = await seed(project, env, mailSink, join(logs, 'seed.log'));
  const start = (entry, logName, cwd = dir, extraEnv = {}) => startServer(join(node24, 'node'), cwd, entry, { ...env, ...extraEnv }, join(logs, logName));
  const bareDir = bareApp(expressRange, envWith(node24, WARM_CACHE));
  const bare = { ...(await start('server.js', 'bare.log', bareDir)), dir: bareDir };
  if (HOLD) return hold(start, bare, tokens, dir);
  try {
    // The machine's own floor, to compare runs on different days: bare Express answering a constant.
    log(`runtime: the floor, bare Express on GET /healthz, ${DURATION} s ...`);
    rows.push(row('runtime', `floor: bare Express 5, GET /healthz, no lookup (${DURATION} s)`, figure(await load(bare, { path: '/healthz' }, tokens.user, DURATION))));
    for (const target of TARGETS) rows.push(...(await compare(target, tokens[target.who], start, bare, logs)));
  } finally {
    await bare.stop();
  }
  if (LAYERS) rows.push(...(await layers(dir, tokens.admin, start)));
  return rows;
}

await runAlone(import.meta, runtimeBench);
