// Sign-in (issue 11): login p50 (sequential logins with the right password), and a login timed while
// 20 sign-ups arrive at once from one address, which pushed a concurrent login from 0.7 s to 13 s
// before issue 11. "Before" is the generator at commit 90c50b9 (users in memory, scrypt, sign-up not
// limited), built in a git worktree of its own; "now" is this one. Both projects run as built
// (`dist/server.js`, Node 24, NODE_ENV=production) on 127.0.0.1; each client role sends from a loopback
// address of its own (127.0.0.2, ...), so the server sees distinct clients without any proxy setting.
// Production mails a local sink (bench/mail-sink.mjs); "now" verifies each account through its mail
// (issue 20), "before" has no verification (its sign-up answers 201).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifiedAccount } from './accounts.mjs';
import { envWith, generatedProject, log, median, nodeBin, PRODUCTION, ROOT, row, runAlone, seconds, tempDir, timed, WARM_CACHE } from './lib.mjs';
import { startMailSink } from './mail-sink.mjs';
import { send, sendExpecting, startServer } from './servers.mjs';

const BEFORE = '90c50b9';
const LOGINS = Number(process.env.BENCH_LOGINS || 30);
const BURST = 20;
const BURST_ROUNDS = Number(process.env.BENCH_BURST_ROUNDS || 3);
/** The longest a client keeps retrying a login that was told to come back (503 or 429 with Retry-After). */
const SIGN_IN_DEADLINE_S = 60;
const PASSWORD = 'correct horse battery staple';
// Who sends from where: each a client of its own to the server's per-address limits.
const FROM = { burst: '127.0.0.1', victim: '127.0.0.2', setup: '127.0.0.3', alone: '127.0.0.4' };

/**
 * The generator at `commit` in a git worktree (removed again at once), `npm ci && npm run build` there,
 * and a project it generates with the defaults, installed and built on Node 24 as today's is.
 */
export function projectAt(commit) {
  const parent = tempDir('cse-bench-before-');
  const tree = join(parent, 'generator');
  log(`the generator at ${commit} in a worktree: npm ci, npm run build, generate ...`);
  timed('git', ['-C', ROOT, 'worktree', 'add', '--detach', tree, commit]);
  try {
    const env = envWith('', WARM_CACHE);
    timed('npm', ['ci', '--prefer-offline', '--loglevel=error'], { cwd: tree, env });
    timed('npm', ['run', 'build'], { cwd: tree, env });
    timed(process.execPath, [join(tree, 'bin', 'create-secure-express.js'), 'my-api', '--yes', '--no-install', '--no-git'], { cwd: parent, env: { ...process.env, CI: 'true' } });
  } finally {
    timed('git', ['-C', ROOT, 'worktree', 'remove', '--force', tree]);
  }
  const node24 = nodeBin(24);
  const dir = join(parent, 'my-api');
  const env = envWith(node24, WARM_CACHE);
  log(`the ${commit} project: npm install, npm run build ...`);
  timed('npm', ['install', '--prefer-offline', '--loglevel=error'], { cwd: dir, env });
  timed('npm', ['run', 'build'], { cwd: dir, env });
  return { dir, env, node24 };
}

const login = (base, email, from) => send(base, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD }, from });

/**
 * A fresh server of the project, mailing `mailSink`; `extra` overrides the environment (the generated
 * defaults otherwise).
 */
export function starter(project, logs, name, mailSink) {
  let count = 0;
  return (extra = {}) => {
    count += 1;
    const env = { ...project.env, ...PRODUCTION, DATABASE_PATH: join(logs, `${name}-${count}`, 'app.db'), ...mailSink.env, ...extra };
    return startServer(join(project.node24, 'node'), project.dir, 'dist/server.js', env, join(logs, `${name}-${count}.log`));
  };
}

/**
 * An account made (and verified, where the project asks for it) through the API, from the setup
 * address; then one untimed login (first-use costs).
 */
async function account(base, mailSink, email) {
  await verifiedAccount(base, mailSink, { email, password: PASSWORD, name: 'Owner' }, FROM.setup);
  await sendExpecting(200, base, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD }, from: FROM.setup });
}

/**
 * LOGINS logins one after the other, right password. The per-address auth limit is raised on this
 * server: before issue 11 it counted successful logins too, and would stop the run at the sixth.
 */
async function loginP50(start, mailSink) {
  const server = await start({ RATE_LIMIT_AUTH: '999999/1h', RATE_LIMIT_GLOBAL: '999999/1h' });
  try {
    await account(server.base, mailSink, 'owner@example.com');
    const times = [];
    for (let i = 0; i < LOGINS; i++) {
      const response = await login(server.base, 'owner@example.com', FROM.victim);
      if (response.status !== 200) throw new Error(`login ${i + 1}: ${response.status} ${response.text}`);
      times.push(response.seconds);
    }
    return times;
  } finally {
    await server.stop();
  }
}

/** Logs in, coming back after Retry-After when told to (503, 429), until a 200 or the deadline. */
async function signIn(base, email, from) {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const answers = [];
  let first;
  for (;;) {
    const response = await login(base, email, from);
    answers.push(response.status);
    first ??= elapsed();
    if (response.status === 200) return { seconds: elapsed(), first, answers };
    const retryAfter = Number(response.headers['retry-after']);
    if (![429, 503].includes(response.status) || !Number.isFinite(retryAfter) || elapsed() + retryAfter > SIGN_IN_DEADLINE_S) {
      return { seconds: elapsed(), first, answers, failed: true };
    }
    await sleep(retryAfter * 1000);
  }
}

/**
 * One round on a fresh server with the generated defaults (auth limit 5/15m, hashing cap): a login
 * alone, then BURST sign-ups sent at once from one address and, right after them, a login from
 * another address, timed until it is signed in.
 */
async function burstRound(start, mailSink, round) {
  const server = await start();
  try {
    const email = `owner${round}@example.com`;
    await account(server.base, mailSink, email);
    const alone = await login(server.base, email, FROM.alone);
    if (alone.status !== 200) throw new Error(`login alone: ${alone.status} ${alone.text}`);
    const started = process.hrtime.bigint();
    const signUps = Array.from({ length: BURST }, (_, i) =>
      send(server.base, 'POST', '/api/v1/users', {
        body: { email: `burst${round}-${i}@example.com`, password: `${PASSWORD} ${i}`, name: `Burst ${i}` },
        from: FROM.burst,
      }).then((response) => ({ ...response, seconds: Number(process.hrtime.bigint() - started) / 1e9 })),
    );
    const [answers, during] = await Promise.all([Promise.all(signUps), signIn(server.base, email, FROM.victim)]);
    const tally = {};
    for (const { status } of answers) tally[status] = (tally[status] ?? 0) + 1;
    return { alone: alone.seconds, during, tally, burstSeconds: Math.max(...answers.map((a) => a.seconds)) };
  } finally {
    await server.stop();
  }
}

async function measure(project, name, label, logs, mailSink) {
  const start = starter(project, logs, name, mailSink);
  log(`auth (${label}): ${LOGINS} sequential logins ...`);
  const times = await loginP50(start, mailSink);
  const rounds = [];
  for (let round = 0; round < BURST_ROUNDS; round++) {
    const result = await burstRound(start, mailSink, round);
    log(`auth (${label}): burst round ${round + 1}: login alone ${seconds(result.alone)}, during ${seconds(result.during.seconds)} (${result.during.answers.join(', ')}); sign-ups ${JSON.stringify(result.tally)} in ${seconds(result.burstSeconds)}`);
    rounds.push(result);
  }
  return { times, rounds };
}

const tallyText = (tally) =>
  Object.entries(tally)
    .map(([status, count]) => `${count} x ${status}`)
    .join(', ');

function rows(label, { times, rounds }) {
  const sorted = [...times].sort((a, b) => a - b);
  const during = rounds.map((r) => r.during);
  const answers = [...new Set(during.map((d) => d.answers.join(' then ')))].join(' / ');
  const retried = during.some((d) => d.answers.length > 1) ? ` (first answer after ${seconds(median(during.map((d) => d.first)))})` : '';
  const failed = during.filter((d) => d.failed).length;
  return [
    row('auth', `login p50, ${label} (${times.length} sequential, right password)`, `${seconds(median(times))} (p90 ${seconds(sorted[Math.ceil(sorted.length * 0.9) - 1])}, max ${seconds(sorted.at(-1))})`),
    row('auth', `login alone, ${label} (median of ${rounds.length} rounds)`, seconds(median(rounds.map((r) => r.alone)))),
    row(
      'auth',
      `login during ${BURST} sign-ups from one address, ${label} (median of ${rounds.length})`,
      `${seconds(median(during.map((d) => d.seconds)))} to signed in (${during.map((d) => seconds(d.seconds)).join(', ')}); answers: ${answers}${retried}${failed ? `; ${failed} not signed in within ${SIGN_IN_DEADLINE_S} s` : ''}`,
    ),
    row(
      'auth',
      `the ${BURST} sign-ups, ${label}`,
      `${[...new Set(rounds.map((r) => tallyText(r.tally)))].join(' / ')}; the last answered after ${seconds(median(rounds.map((r) => r.burstSeconds)))} (median)`,
    ),
  ];
}

export async function authBench() {
  const now = generatedProject('sqlite');
  const before = projectAt(BEFORE);
  const logs = tempDir('cse-bench-auth-');
  const version = timed(join(now.node24, 'node'), ['--version']).stdout.trim();
  const mailSink = await startMailSink();
  let result;
  try {
    result = {
      before: await measure(before, 'before', `before (${BEFORE})`, logs, mailSink),
      now: await measure(now, 'now', 'now', logs, mailSink),
    };
  } finally {
    await mailSink.stop();
  }
  return [
    row(
      'auth',
      'setup',
      `Node ${version.slice(1)}, NODE_ENV=production, generated defaults (auth limit 5/15m; now: argon2id, hashing cap ${Math.min(4, availableParallelism())} + ${Math.min(4, availableParallelism())} waiting; before: scrypt), the login sent right after the sign-ups, from another address, following Retry-After`,
    ),
    ...rows(`before (${BEFORE})`, result.before),
    ...rows('now', result.now),
  ];
}

await runAlone(import.meta, authBench);
