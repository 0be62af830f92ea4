import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs a generated project's own commands the way its users do, on a real Node 24 or 22 (the `node@N`
 * npm packages fetched by scripts/node-bin.sh), with one npm cache shared by every project of the run
 * (npm's own, or CSE_NPM_CACHE).
 */
export const NPM_CACHE = process.env.CSE_NPM_CACHE;

export function projectEnv(node: 22 | 24, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const bin = process.env[`CSE_NODE${node}_BIN`];
  if (!bin) throw new Error(`CSE_NODE${node}_BIN is not set: run the tests with npm test`);
  // NODE_TEST_CONTEXT would make the project's own `node --test` think it runs inside ours, and skip.
  const { NODE_ENV: _nodeEnv, npm_config_prefix: _prefix, NODE_TEST_CONTEXT: _testContext, ...rest } = process.env;
  const cache = NPM_CACHE ? { npm_config_cache: NPM_CACHE } : {};
  return { ...rest, PATH: `${bin}${delimiter}${process.env.PATH}`, ...cache, npm_config_update_notifier: 'false', ...extra };
}

export interface Step {
  readonly code: number | null;
  readonly output: string;
  readonly seconds: number;
}

const GENERATOR = 'create-secure-express';

/**
 * A generated project pins this generator as an exact devDependency (its `npm run check`), at a
 * version the registry does not serve while we test it. So before any install in a project, the
 * entry is pointed at the packed tarball (`file:$CSE_TARBALL`) and the lockfile pins that; a
 * lockfile-only install (for an image build, whose context cannot see the tarball, and which never
 * runs the checker) drops the entry instead.
 */
function installGeneratorFromTarball(cwd: string, args: readonly string[]): void {
  const manifest = join(cwd, 'package.json');
  if (!['install', 'i', 'ci'].includes(args[0] ?? '') || !existsSync(manifest)) return;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { devDependencies?: Record<string, string> };
  const pinned = pkg.devDependencies?.[GENERATOR];
  if (pkg.devDependencies === undefined || pinned === undefined || pinned.startsWith('file:')) return;
  const tarball = process.env.CSE_TARBALL;
  if (!tarball) throw new Error('CSE_TARBALL is not set: run the tests with npm test (scripts/test.mjs)');
  if (args.includes('--package-lock-only')) delete pkg.devDependencies[GENERATOR];
  else pkg.devDependencies[GENERATOR] = `file:${tarball}`;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Runs npm in `cwd` (a generated project's installs take this generator from the packed tarball). */
export function npm(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 600_000): Step {
  installGeneratorFromTarball(cwd, args);
  const started = Date.now();
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  return { code: result.status, output: `${result.stdout}${result.stderr}`, seconds: (Date.now() - started) / 1000 };
}

/** Asserts that a step succeeded, showing the end of its output when it did not. */
export function mustPass(step: Step, what: string): void {
  if (step.code !== 0) throw new Error(`${what} failed (exit ${step.code}):\n${step.output.slice(-6000)}`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface RunningServer {
  readonly child: ChildProcess;
  readonly base: string;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node <entry>` in `cwd` on a free port and waits until /healthz answers. */
export async function startServer(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, fixedPort?: number): Promise<RunningServer> {
  const port = fixedPort ?? (await freePort());
  // ALLOWED_HOSTS: the names tests reach it by, which production requires (other Host headers get a 421).
  const child = spawn('node', args, { cwd, env: { ALLOWED_HOSTS: '127.0.0.1,localhost', ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within 20 s:\n${output}`);
    }
    await sleep(100);
  }
  return {
    child,
    base,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
