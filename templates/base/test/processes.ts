import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * What the tests that start whole processes (the server, `npm run dev`, the commands) share: the
 * environment a child gets, and a child whose output a test waits for, line by line, never by sleeping.
 */

export const PROJECT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Node's compile cache: each child compiles the project's TypeScript once for all the runs, not once
 * per process (about a third of a server's start). Under node_modules, so it goes with them.
 */
const COMPILE_CACHE = fileURLToPath(new URL('../node_modules/.cache/node-compile-cache', import.meta.url));

/** A child's environment: `env` and PATH, nothing else of the real environment (no .env, no DATABASE_URL). */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', NODE_COMPILE_CACHE: COMPILE_CACHE, ...env };
}

export interface ScriptResult {
  /** The exit code; null when a signal ended it (the timeout below, say). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a TypeScript file of the project to its end; a hung child is killed after 30 s and fails the
 * test instead of hanging it. Never a synchronous spawn: it would stop this process's event loop, and
 * with it a server the test runs here, whose idle connections would then close under the next request.
 */
export async function runScript(script: string, args: readonly string[], env: Record<string, string>, cwd = PROJECT): Promise<ScriptResult> {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, ...output };
}

export interface RunningProcess {
  readonly child: ChildProcess;
  /** What it wrote so far. */
  readonly output: { stdout: string; stderr: string };
  /** Resolves with the exit code and the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The next line (stdout or stderr), after the last one this returned, that `matches`; rejects if it exits first. */
  line(matches: (text: string) => boolean): Promise<string>;
  /** Resolves once all it wrote to stdout matches `pattern`, in whatever order its lines came; rejects if it exits first. */
  printed(pattern: RegExp): Promise<void>;
  /** The next JSON log line with this message, parsed. */
  logged(message: string): Promise<Record<string, unknown>>;
  /** Sends `signal` to it, or with `group`, to every process of its group, as Ctrl-C on a terminal does. */
  signal(signal: NodeJS.Signals): void;
}

/** A JSON log line with this message. */
export const says = (message: string) => (text: string) => text.startsWith('{') && text.includes(`"msg":"${message}"`);

/**
 * Starts a TypeScript file of the project as a process, killed (with its group) when the test ends.
 * With `group`, it leads a process group of its own, as a command started on a terminal does.
 */
export function startScript(
  t: TestContext,
  script: string,
  { env, cwd = PROJECT, group = false }: { env: Record<string, string>; cwd?: string; group?: boolean },
): RunningProcess {
  const child = spawn(process.execPath, [script], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  const { pid } = child;
  if (pid === undefined) throw new Error(`${script} did not start`);
  const target = group ? -pid : pid;
  t.after(() => {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const output = { stdout: '', stderr: '' };
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk: string) => (output[stream] += chunk));
    createInterface({ input: child[stream] }).on('line', (text) => {
      lines.push(text);
      for (const wake of waiting) wake();
    });
  }
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  /** Waits for the next line, or for the exit; `done()` is asked again before giving up at the exit. */
  const more = async (done: () => boolean, awaited: string): Promise<void> => {
    let wake: (() => void) | undefined;
    await Promise.race([
      new Promise<void>((resolve) => waiting.add((wake = resolve))),
      // The output read by the time it exits is looked through once more.
      exited.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => {
        if (!done()) throw new Error(`${script} exited before ${awaited}:\n${lines.join('\n')}`);
      }),
    ]);
    if (wake) waiting.delete(wake);
  };
  let seen = 0;
  const line = async (matches: (text: string) => boolean): Promise<string> => {
    for (;;) {
      const index = lines.findIndex((text, i) => i >= seen && matches(text));
      if (index >= 0) {
        seen = index + 1;
        return lines[index] ?? '';
      }
      await more(() => lines.slice(seen).some(matches), 'the line awaited');
    }
  };
  const printed = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(output.stdout)) await more(() => pattern.test(output.stdout), `printing ${String(pattern)}`);
  };
  return {
    child,
    output,
    exited,
    line,
    printed,
    logged: async (message) => JSON.parse(await line(says(message))) as Record<string, unknown>,
    signal: (signal) => process.kill(target, signal),
  };
}

/** The real server (src/server.ts) on a free port of loopback; resolves once it listens, with its URL. */
export async function startServer(t: TestContext, env: Record<string, string>): Promise<RunningProcess & { url: string; port: number }> {
  const server = startScript(t, 'src/server.ts', { env: { NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env } });
  const port = Number((await server.logged('listening')).port);
  return { ...server, port, url: `http://127.0.0.1:${String(port)}` };
}
