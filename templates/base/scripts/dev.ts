// `npm run dev`: the server in development mode, restarted on every change to its code, its migrations or `.env`.
//
// Plain Node, so it runs the same in every shell (`NODE_ENV=development node ...` does not work in
// Windows cmd or PowerShell), and `.env` is truly optional: Node's own `--env-file-if-exists` under
// `--watch` crashes on Ctrl-C when the file is missing (Node 24), refuses to start (Node 22), and stops
// seeing edits once an editor has replaced the file.
//
// Variables already set in the environment win over `.env`, which wins over NODE_ENV=development.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, watch } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('../src/db/migrations/', import.meta.url));
/** Where `node --env-file` would look: the current directory, the project's own under npm run. */
const ENV_FILE = '.env';
/** Editors save in bursts (write, rename, chmod): one restart per save. */
const SETTLE_MS = 100;

function readEnvFile(): string | undefined {
  try {
    return readFileSync(ENV_FILE, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function serverEnvironment(envFile: string | undefined): NodeJS.ProcessEnv {
  return { NODE_ENV: 'development', ...(envFile === undefined ? {} : parseEnv(envFile)), ...process.env };
}

let envFile = readEnvFile();
let stopping = false;
let restarting = false;

// Node's watch mode restarts the server when a file it imports changes.
function startServer(): ChildProcess {
  const child = spawn(process.execPath, ['--watch', SERVER], { env: serverEnvironment(envFile), stdio: 'inherit' });
  child.once('exit', (code) => {
    if (restarting && !stopping) {
      restarting = false;
      server = startServer();
      return;
    }
    envWatcher.close();
    migrationsWatcher.close();
    process.exitCode = code ?? (stopping ? 0 : 1);
  });
  return child;
}

let server = startServer();

/** A migration saved since the last restart; the server's start applies or refuses it. */
let migrationSaved: string | undefined;

// Editors save in bursts (write, rename, chmod): the server restarts once the burst is over, if a
// migration was saved or `.env` reads differently.
let settle: NodeJS.Timeout | undefined;
function restartOnceSettled(): void {
  clearTimeout(settle);
  settle = setTimeout(() => {
    const next = readEnvFile();
    const changed = [...(next === envFile ? [] : [ENV_FILE]), ...(migrationSaved === undefined ? [] : [migrationSaved])];
    if (changed.length === 0 || stopping) return;
    envFile = next;
    migrationSaved = undefined;
    process.stdout.write(`${changed.join(' and ')} changed: restarting\n`);
    restarting = true;
    server.kill('SIGTERM');
  }, SETTLE_MS);
}

// The folder, not the file: the file may not exist yet, and editors replace it rather than write to it.
const envWatcher = watch('.', (_event, filename) => {
  if (filename === null || filename === ENV_FILE) restartOnceSettled();
});

// Node's watch mode watches what the server imported, which leaves out a migration made since it
// started, and may leave out one imported just before a failed start (an unfinished migration): so
// the server starts again on every save in the migrations folder as well.
// eslint-disable-next-line security/detect-non-literal-fs-filename -- the project's own folder, not input
const migrationsWatcher = watch(MIGRATIONS, (_event, filename) => {
  if (filename !== null && !/^[^.].*\.ts$/.test(filename)) return;
  migrationSaved = `src/db/migrations/${filename ?? ''}`;
  restartOnceSettled();
});

// Ctrl-C reaches every process on the terminal, and npm passes signals on as well: the server shuts
// down gracefully once (src/shutdown.ts), and this process ends with it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(settle);
    server.kill(signal);
  });
}
