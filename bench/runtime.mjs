// Runtime: the generated API with every protection on against a bare Express 5 app serving the same
// JSON, both on Node 24 on 127.0.0.1, loaded by wrk one after the other; then the cost of each layer,
// from copies of the built app with one layer taken out (see bench/variants.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { envWith, generatedProject, log, median, ratio, row, runAlone, tempDir, timed, WARM_CACHE } from './lib.mjs';
import { VARIANTS, makeVariant } from './variants.mjs';

const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = Number(process.env.BENCH_WARMUP || 2);
const VARIANT_DURATION = Number(process.env.BENCH_VARIANT_DURATION || 3);
const VARIANT_ROUNDS = Number(process.env.BENCH_VARIANT_ROUNDS || 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const SEED_USERS = 20;
const PATH = '/api/v1/users?limit=10';
// Counts every request but never limits a load test (the variable's largest accepted value).
const RATE_LIMIT_GLOBAL = '999999/1h';
const TARGET_THROUGHPUT = 0.8;
const TARGET_P99 = 1.5;

function requireWrk() {
  if (spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error('wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`, then run the bench again');
  }
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts `node <entry>` on Node 24 with its output in a file (as a log collector would take it). */
async function start(cwd, entry, env, logFile) {
  const port = await freePort();
  const out = openSync(logFile, 'w');
  const child = spawn(join(env.CSE_NODE24_BIN, 'node'), [entry], {
    cwd,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = once(child, 'exit');
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not answer /healthz within 60 s:\n${readFileSync(logFile, 'utf8')}`);
    }
    await sleep(100);
  }
  return {
    base,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
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

/** One wrk run against 127.0.0.1 for a bounded time; throws if any response was not a 2xx. */
function wrk(base, seconds) {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', '--latency', `${base}${PATH}`];
  const { stdout } = timed('wrk', args, { timeout: (seconds + 30) * 1000 });
  if (/Non-2xx or 3xx responses: (\d+)/.test(stdout) || /Socket errors/.test(stdout)) {
    throw new Error(`wrk saw failed requests (rate limited?):\n${stdout}`);
  }
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const p99 = millis(/^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  const p50 = millis(/^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  return { rps, p50, p99, requests };
}

async function load(server, seconds, warmup = WARMUP) {
  if (warmup > 0) wrk(server.base, warmup);
  const cpuBefore = cpuSeconds(server.pid);
  const result = wrk(server.base, seconds);
  return { ...result, cpu: ((cpuSeconds(server.pid) - cpuBefore) / result.requests) * 1e6 };
}

/** Users created through the API itself, so the store holds what real requests would have put there. */
async function seed(base) {
  for (let i = 0; i < SEED_USERS; i++) {
    const email = `user${String(i).padStart(2, '0')}@example.com`;
    const response = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: `correct horse battery ${i}`, name: `User ${i}` }),
    });
    if (response.status !== 201) throw new Error(`seeding ${email}: ${response.status} ${await response.text()}`);
  }
}

/** Every user in list order, read page by page through the API: the bare app serves exactly these. */
async function allUsers(base) {
  const users = [];
  let cursor = '';
  do {
    const page = await (await fetch(`${base}/api/v1/users?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json();
    users.push(...page.items);
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return users;
}

/** A bare Express 5 app: the same route, the same list logic, no layer at all. */
const BARE_APP = `import { readFileSync } from 'node:fs';
import express from 'express';

const users = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8'));
const app = express();
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.get('/api/v1/users', (req, res) => {
  const limit = Number(req.query.limit ?? 20);
  const start = req.query.cursor === undefined ? 0 : users.findIndex((user) => user.id === req.query.cursor) + 1;
  const page = users.slice(start, start + limit);
  const last = page.at(-1);
  res.json({ items: page, nextCursor: last !== undefined && start + limit < users.length ? last.id : null });
});
app.listen(Number(process.env.PORT), process.env.HOST);
`;

function bareApp(expressRange, users, env) {
  const dir = tempDir('cse-bench-bare-');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'bare', private: true, type: 'module', dependencies: { express: expressRange } }, null, 2)}\n`);
  writeFileSync(join(dir, 'server.js'), BARE_APP);
  writeFileSync(join(dir, 'users.json'), JSON.stringify(users));
  log('bare app: npm install express (same cache) ...');
  timed('npm', ['install', '--prefer-offline', '--loglevel=error'], { cwd: dir, env });
  return dir;
}

const figure = (r) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, CPU ${r.cpu.toFixed(0)} us/req`;

export async function runtimeBench() {
  requireWrk();
  const { dir, env: projectEnv, node24 } = generatedProject();
  const env = { ...projectEnv, CSE_NODE24_BIN: node24, NODE_ENV: 'production', RATE_LIMIT_GLOBAL, SHUTDOWN_GRACE_MS: '0' };
  const logs = tempDir('cse-bench-logs-');
  const version = timed(join(node24, 'node'), ['--version']).stdout.trim();
  const expressRange = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies.express;
  const rows = [
    row(
      'runtime',
      'setup',
      `Node ${version.slice(1)}, NODE_ENV=production, RATE_LIMIT_GLOBAL=${RATE_LIMIT_GLOBAL} (counts, never limits), logs to a file, wrk -t1 -c${CONNECTIONS} after ${WARMUP} s warm-up, GET ${PATH}, ${SEED_USERS} users`,
    ),
  ];

  // The generated app exactly as built (dist/server.js), seeded through its own API.
  log('runtime: starting the generated app and seeding it through its API ...');
  const hardened = await start(dir, 'dist/server.js', env, join(logs, 'hardened.log'));
  let bare;
  let users;
  const results = { hardened: [], bare: [] };
  try {
    await seed(hardened.base);
    users = await allUsers(hardened.base);
    const expected = await (await fetch(`${hardened.base}${PATH}`)).text();
    bare = await start(bareApp(expressRange, users, envWith(node24, WARM_CACHE)), 'server.js', env, join(logs, 'bare.log'));
    const bareBody = await (await fetch(`${bare.base}${PATH}`)).text();
    if (bareBody !== expected) throw new Error(`the bare app's JSON differs from the generated app's:\n${bareBody}\n${expected}`);

    // One after the other, in both orders (A B B A), so drift on the machine hurts both alike; the
    // idle one waits and costs nothing.
    log(`runtime: generated vs bare, ${DURATION} s each, A B B A ...`);
    for (const which of ['hardened', 'bare', 'bare', 'hardened']) {
      const result = await load(which === 'bare' ? bare : hardened, DURATION);
      log(`  ${which}: ${figure(result)}`);
      results[which].push(result);
    }
  } finally {
    await hardened.stop();
    await bare?.stop();
  }
  const loggedLines = readFileSync(join(logs, 'hardened.log'), 'utf8').split('\n').length - 1;
  const mean = (list, key) => list.reduce((sum, r) => sum + r[key], 0) / list.length;
  const [h, b] = ['hardened', 'bare'].map((which) => ({ rps: mean(results[which], 'rps'), p50: mean(results[which], 'p50'), p99: mean(results[which], 'p99'), cpu: mean(results[which], 'cpu') }));
  rows.push(
    row('runtime', `bare Express 5, same JSON (mean of 2 x ${DURATION} s)`, figure(b)),
    row('runtime', `generated, every layer on (mean of 2 x ${DURATION} s)`, `${figure(h)}; ${loggedLines} log lines`),
    row('runtime', 'throughput, generated / bare', ratio(h.rps / b.rps), `>= ${ratio(TARGET_THROUGHPUT)}`, h.rps / b.rps >= TARGET_THROUGHPUT),
    row('runtime', 'p99 latency, generated / bare', ratio(h.p99 / b.p99), `<= ${ratio(TARGET_P99)}`, h.p99 / b.p99 <= TARGET_P99),
    row('runtime', 'server CPU per request, generated / bare', `${ratio(h.cpu / b.cpu)} (+${h.cpu - b.cpu >= 0 ? '' : '-'}${Math.abs(h.cpu - b.cpu).toFixed(0)} us)`),
  );

  // The cost of each layer: copies of dist/ with one layer out, each against "all on", in one run.
  const variantsDir = join(dir, 'bench-variants');
  mkdirSync(variantsDir, { recursive: true });
  writeFileSync(join(variantsDir, 'users.json'), JSON.stringify(users.map((user, i) => ({ ...user, password: `correct horse battery ${i}` }))));
  // Every variant runs at once (idle ones cost nothing), loaded in turn, round after round, and the
  // median of the rounds is kept: a burst of other work on the machine then spoils one round, not a layer.
  log(`runtime: ${VARIANTS.length} variants, ${VARIANT_ROUNDS} rounds of ${VARIANT_DURATION} s each ...`);
  const servers = [];
  const measured = VARIANTS.map((variant) => ({ variant, runs: [] }));
  try {
    for (const variant of VARIANTS) {
      servers.push(await start(makeVariant(dir, variantsDir, variant), 'bench-server.js', env, join(logs, `${variant.id}.log`)));
    }
    for (let round = 0; round < VARIANT_ROUNDS; round++) {
      for (const [i, { variant, runs }] of measured.entries()) {
        const result = await load(servers[i], VARIANT_DURATION, round === 0 ? 1 : 0);
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
  for (const { variant, rps, p99, cpu } of summary) {
    const value =
      variant === VARIANTS[0]
        ? `${rps.toFixed(0)} req/s, p99 ${p99.toFixed(2)} ms, CPU ${cpu.toFixed(0)} us/req`
        : `${rps.toFixed(0)} req/s (${ratio(rps / allOn.rps)}), p99 ${p99.toFixed(2)} ms, CPU ${cpu.toFixed(0)} us/req: the layer costs ${(allOn.cpu - cpu).toFixed(0)} us`;
    rows.push(row('layers', variant.label, value));
  }
  return rows;
}

await runAlone(import.meta, runtimeBench);
