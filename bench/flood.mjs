// Logins during a sign-up flood (issue 18): FLOOD sign-ups, each from a loopback address of its own
// (127.1.x.y: every one within every per-address limit), IN_FLIGHT at a time, and, a quarter of the way
// in, LOGINS logins to existing accounts sent at once, each from an address of its own, answered once
// (no retry): how many succeeded, and their p50/p99 time. Before issue 18, 13 of 14 answered 503.
// "Before" is the generator at BENCH_FLOOD_BEFORE (the commit before the hashing lanes), "now" this one;
// both projects run as built (`dist/server.js`, Node 24, NODE_ENV=production, generated defaults),
// mailing a local sink (bench/mail-sink.mjs): "now" sends a verification mail per sign-up (issue 20),
// and its 14 accounts are verified through theirs before the flood.
import { verifiedAccount } from './accounts.mjs';
import { projectAt, starter } from './auth.mjs';
import { generatedProject, log, row, runAlone, seconds, tempDir } from './lib.mjs';
import { startMailSink } from './mail-sink.mjs';
import { send } from './servers.mjs';

const BEFORE = process.env.BENCH_FLOOD_BEFORE || '5288952';
const FLOOD = Number(process.env.BENCH_FLOOD || 4000);
const IN_FLIGHT = 200;
const LOGINS = 14;
const PASSWORD = 'correct horse battery staple';

/** The i-th address of a block of 127/8 (i < 62,500): 127.<block>.<i / 250>.<i % 250 + 1>. */
const address = (block, i) => `127.${block}.${Math.floor(i / 250)}.${(i % 250) + 1}`;

const quantile = (sorted, q) => sorted[Math.max(0, Math.ceil(sorted.length * q) - 1)];

async function floodRound(start, mailSink) {
  const server = await start();
  try {
    const owners = Array.from({ length: LOGINS }, (_, i) => `owner${i}@example.com`);
    for (const [i, email] of owners.entries()) await verifiedAccount(server.base, mailSink, { email, password: PASSWORD }, address(3, i));
    const tally = {};
    let next = 0;
    let loginsSent;
    const startLogins = () =>
      Promise.all(owners.map((email, i) => send(server.base, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD }, from: address(2, i) })));
    const worker = async () => {
      while (next < FLOOD) {
        const i = next++;
        if (i === Math.floor(FLOOD / 4)) loginsSent = startLogins();
        const { status } = await send(server.base, 'POST', '/api/v1/users', { body: { email: `flood${i}@example.com`, password: `${PASSWORD} ${i}` }, from: address(1, i) });
        tally[status] = (tally[status] ?? 0) + 1;
      }
    };
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const floodSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const logins = await loginsSent;
    return { logins, tally, floodSeconds };
  } finally {
    await server.stop();
  }
}

function rows(label, { logins, tally, floodSeconds, mails }) {
  const ok = logins.filter((l) => l.status === 200).length;
  const times = logins.map((l) => l.seconds).sort((a, b) => a - b);
  const statuses = {};
  for (const { status } of logins) statuses[status] = (statuses[status] ?? 0) + 1;
  const text = (counts) =>
    Object.entries(counts)
      .map(([status, count]) => `${count} x ${status}`)
      .join(', ');
  return [
    row('flood', `logins during a sign-up flood, ${label}`, `${ok} of ${logins.length} succeeded (${text(statuses)}); p50 ${seconds(quantile(times, 0.5))}, p99 ${seconds(quantile(times, 0.99))}`, 'all', ok === logins.length),
    row('flood', `the ${FLOOD} sign-ups from ${FLOOD} addresses, ${label}`, `${text(tally)} in ${seconds(floodSeconds)}; ${mails} mails reached the sink`),
  ];
}

export async function floodBench() {
  const logs = tempDir('cse-bench-flood-');
  const before = projectAt(BEFORE);
  const now = generatedProject('sqlite');
  const result = {};
  for (const [name, project] of [['before', before], ['now', now]]) {
    log(`flood (${name}): ${FLOOD} sign-ups, ${LOGINS} logins in the middle ...`);
    const mailSink = await startMailSink();
    try {
      result[name] = { ...(await floodRound(starter(project, logs, `flood-${name}`, mailSink), mailSink)), mails: mailSink.mails() };
    } finally {
      await mailSink.stop();
    }
  }
  return [...rows(`before (${BEFORE})`, result.before), ...rows('now', result.now)];
}

await runAlone(import.meta, floodBench);
