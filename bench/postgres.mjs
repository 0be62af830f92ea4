// A private PostgreSQL for the benches (Debian's `postgresql` package), the way test/support/postgres.ts
// makes the tests' own: a fresh cluster in a temporary folder, on 127.0.0.1 and a free port, trusting
// local connections. PostgreSQL's defaults otherwise (fsync on: start-up and tests are timed as against
// a real server). PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, tempDir } from './lib.mjs';
import { freePort, track } from './servers.mjs';

/** The newest installed PostgreSQL's bin folder (or PG_BIN). */
function binDir() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!found) throw new Error('PostgreSQL is not installed: apt-get install postgresql (or set PG_BIN to the folder of initdb and postgres)');
  return found;
}

/** The user PostgreSQL runs as: this one, unless it is root. */
function runAs() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts a private PostgreSQL; resolves once it answers a query. `database(name)` makes an empty
 * database and returns its URL; `stop()` shuts the server down (fast shutdown).
 */
export async function startPostgres() {
  const bin = binDir();
  const user = runAs();
  const dir = tempDir('cse-bench-postgres-');
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid);
  log(`postgres: initdb and start (${bin}) ...`);
  execFileSync(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], { stdio: 'ignore', ...user });
  const port = await freePort();
  const child = track(
    spawn(join(bin, 'postgres'), ['-D', join(dir, 'data'), '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'max_connections=200'], {
      stdio: 'ignore',
      ...user,
    }),
  );
  const psql = (sql, database = 'postgres') =>
    execFileSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-q', '-c', sql], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      psql('select 1');
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`postgres did not start on port ${port}`);
      await sleep(100);
    }
  }
  const version = execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  return {
    version,
    database(name) {
      psql(`create database "${name}"`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}
