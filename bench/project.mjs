// The generated project as its users meet it, on Node 24: `npm install` from a warm cache (the way a
// second project installs on a developer's machine: cache filled, no lockfile yet), how many packages
// that brings (production and development), and `npm test` on each database: SQLite (the default, a
// file: nothing to run) and PostgreSQL (`--db postgres`, against a private server on 127.0.0.1).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { countPackages, generatedProject, log, row, runAlone, seconds, timed } from './lib.mjs';
import { startPostgres } from './postgres.mjs';

const count = (output, what) => Number(new RegExp(`^(?:# |ℹ )${what} (\\d+)`, 'm').exec(output)?.[1] ?? 0);

/**
 * `npm test` in a project, timed; returns its row. A failing suite is timed and reported too, with
 * its counts and the tests that did not pass (node:test's summary after "failing tests").
 */
function npmTest(project, label, extraEnv = {}) {
  log(`generated project: npm test (${label}) ...`);
  const started = process.hrtime.bigint();
  const result = spawnSync('npm', ['test'], { cwd: project.dir, env: { ...project.env, ...extraEnv }, encoding: 'utf8', timeout: 900_000 });
  const time = Number(process.hrtime.bigint() - started) / 1e9;
  const output = `${result.stdout}${result.stderr}`;
  const [pass, fail, cancelled] = ['pass', 'fail', 'cancelled'].map((what) => count(output, what));
  if (result.status === 0) return row('project', `npm test, ${label} (${pass} tests pass)`, seconds(time), 'seconds', time < 10);
  const failing = [...output.slice(output.indexOf('failing tests')).matchAll(/^✖ (.+?) \(\d/gm)].map((m) => m[1]);
  log(`npm test (${label}) failed (${result.status ?? result.signal}):\n${output.slice(-3000)}`);
  return row(
    'project',
    `npm test, ${label} (${pass} pass, ${fail} fail, ${cancelled} cancelled)`,
    `${seconds(time)}, FAILED${failing.length ? `: ${failing.join('; ')}` : ''}`,
    'seconds',
    false,
  );
}

export async function projectBench() {
  const sqlite = generatedProject('sqlite');
  const { dir, env, firstInstall } = sqlite;

  // The first install (in generatedProject) filled the cache; this one is timed from it.
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  rmSync(join(dir, 'package-lock.json'), { force: true });
  log('generated project: npm install from the warm cache ...');
  const install = timed('npm', ['install', '--prefer-offline', '--loglevel=error'], { cwd: dir, env }).seconds;

  const all = countPackages(dir);
  const production = countPackages(dir, ['--omit=dev']);
  const rows = [
    row('project', 'npm install, first (cache as found)', seconds(firstInstall)),
    row('project', 'npm install, warm cache, no lockfile', seconds(install), 'seconds', install < 10),
    row('project', 'packages installed: production / all', `${production} / ${all}`),
    npmTest(sqlite, 'SQLite'),
  ];

  const postgres = generatedProject('postgres');
  const server = await startPostgres();
  try {
    rows.push(npmTest(postgres, `PostgreSQL ${/\d+\.\d+/.exec(server.version)?.[0] ?? ''}`, { DATABASE_URL: server.database('tests') }));
  } finally {
    await server.stop();
  }
  return rows;
}

await runAlone(import.meta, projectBench);
