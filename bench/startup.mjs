// Start-up with migrations (issue 10): seconds from spawning `node dist/server.js` (Node 24,
// NODE_ENV=production) to its `listening` log line, on a fresh database (every migration applied
// before it listens) and on an already-migrated one (the migrator finds nothing to do), for SQLite
// and for PostgreSQL (a private server on 127.0.0.1). Fresh and migrated runs are interleaved. Production
// needs a mail server (issue 20): SMTP_URL names the bench's sink, which nothing mails at start-up.
import { join } from 'node:path';
import { generatedProject, log, median, PRODUCTION, row, runAlone, seconds, tempDir, timed } from './lib.mjs';
import { startMailSink } from './mail-sink.mjs';
import { startPostgres } from './postgres.mjs';
import { timeToListening } from './servers.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS || 7);

const range = (values) => `${seconds(Math.min(...values))} to ${seconds(Math.max(...values))}`;

/**
 * Times RUNS fresh and RUNS migrated start-ups; `fresh(i)` and `migrated` give the environment's
 * database, `mail` the mail settings.
 */
async function measure(project, label, mail, fresh, migrated) {
  const node = join(project.node24, 'node');
  const env = { ...project.env, ...PRODUCTION, ...mail };
  const start = (database) => timeToListening(node, project.dir, 'dist/server.js', { ...env, ...database });
  // One untimed start first (it also migrates the database the "migrated" runs use): the file system
  // cache then holds the code for every timed run alike.
  await start(migrated);
  const times = { fresh: [], migrated: [] };
  for (let i = 0; i < RUNS; i++) {
    times.fresh.push(await start(fresh(i)));
    times.migrated.push(await start(migrated));
  }
  const [f, m] = [median(times.fresh), median(times.migrated)];
  log(`startup on ${label}: fresh ${seconds(f)}, migrated ${seconds(m)}`);
  return [
    row('startup', `${label}: fresh database, migrations applied (median of ${RUNS})`, `${seconds(f)} (${range(times.fresh)}); ${f >= m ? '+' : '-'}${seconds(Math.abs(f - m))} against migrated`),
    row('startup', `${label}: already migrated (median of ${RUNS})`, `${seconds(m)} (${range(times.migrated)})`),
  ];
}

export async function startupBench() {
  const sqlite = generatedProject('sqlite');
  const version = timed(join(sqlite.node24, 'node'), ['--version']).stdout.trim();
  const rows = [row('startup', 'setup', `Node ${version.slice(1)}, NODE_ENV=production, spawn to the \`listening\` log line, ${RUNS} runs each, interleaved`)];

  const sink = await startMailSink();
  try {
    log(`startup: SQLite, ${RUNS} fresh and ${RUNS} migrated start-ups ...`);
    const files = tempDir('cse-bench-startup-');
    rows.push(
      ...(await measure(
        sqlite,
        'SQLite (node:sqlite, a file)',
        sink.env,
        (i) => ({ DATABASE_PATH: join(files, `fresh-${i}`, 'app.db') }),
        { DATABASE_PATH: join(files, 'migrated', 'app.db') },
      )),
    );

    const postgres = generatedProject('postgres');
    const server = await startPostgres();
    try {
      log(`startup: PostgreSQL, ${RUNS} fresh and ${RUNS} migrated start-ups ...`);
      const migrated = server.database('migrated');
      const fresh = Array.from({ length: RUNS }, (_, i) => server.database(`fresh_${i}`));
      rows.push(
        ...(await measure(
          postgres,
          `PostgreSQL ${/\d+\.\d+/.exec(server.version)?.[0] ?? ''} (pg)`,
          sink.env,
          (i) => ({ DATABASE_URL: fresh[i] }),
          { DATABASE_URL: migrated },
        )),
      );
    } finally {
      await server.stop();
    }
  } finally {
    await sink.stop();
  }
  return rows;
}

await runAlone(import.meta, startupBench);
