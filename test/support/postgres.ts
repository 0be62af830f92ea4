import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './project.ts';

/**
 * A real PostgreSQL (Debian's `postgresql` package) of the tests' own: a fresh cluster in a temporary
 * folder, on 127.0.0.1 and a random port, trusting local connections, with fsync off (nothing here
 * needs to survive a power cut). It can be stopped and started again on the same port, to test what a
 * project does while its database is gone. PostgreSQL refuses to run as root, so as root it runs as
 * the `postgres` user the package creates.
 */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!found) throw new Error('PostgreSQL is not installed: apt-get install postgresql (or set PG_BIN to the folder of initdb and postgres)');
  return found;
}

/** The user PostgreSQL runs as: this one, unless it is root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class PostgresServer {
  readonly port: number;
  readonly #dir: string;
  readonly #bin: string;
  readonly #user: { uid: number; gid: number } | undefined;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
    this.#bin = binDir();
    this.#user = runAs();
  }

  static async start(): Promise<PostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), 'cse-postgres-'));
    const server = new PostgresServer(await freePort(), dir);
    if (server.#user) chownSync(dir, server.#user.uid, server.#user.gid);
    execFileSync(join(server.#bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], {
      stdio: 'ignore',
      ...server.#user,
    });
    await server.resume();
    return server;
  }

  /** The cluster's default database; `database()` makes one of a test's own. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A new, empty database, and its URL. */
  database(name: string): string {
    execFileSync(join(this.#bin, 'psql'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-q', '-c', `create database "${name}"`], {
      stdio: 'ignore',
    });
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  async resume(): Promise<void> {
    this.#child = spawn(
      join(this.#bin, 'postgres'),
      ['-D', join(this.#dir, 'data'), '-p', String(this.port), '-h', '127.0.0.1', '-k', this.#dir, '-c', 'fsync=off', '-c', 'max_connections=200'],
      { stdio: 'ignore', ...this.#user },
    );
    const deadline = Date.now() + 20_000;
    while (!(await accepts(this.port))) {
      if (this.#child.exitCode !== null || Date.now() > deadline) throw new Error(`postgres did not start on port ${this.port}`);
      await sleep(100);
    }
    // Accepting connections is not yet accepting queries: wait for a real answer.
    while (true) {
      try {
        execFileSync(join(this.#bin, 'psql'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-c', 'select 1'], { stdio: 'ignore' });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`postgres on port ${this.port} does not answer`);
        await sleep(100);
      }
    }
  }

  /** Stops at once (SIGQUIT: no checkpoint), as a crash or a lost network would look to clients. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGQUIT');
    await once(child, 'exit');
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
