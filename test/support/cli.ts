import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';

/** Runs the installed bin (from the packed tarball) on the CLI's Node.js, with no terminal. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const CLI_BIN = process.env.CSE_BIN ?? '';
export const CLI_NODE = process.env.CSE_CLI_NODE || process.execPath;

if (!CLI_BIN) throw new Error('CSE_BIN is not set: run the tests with `npm test` (scripts/test.mjs)');

export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; node?: string; bin?: string }): CliResult {
  const result = spawnSync(options.node ?? CLI_NODE, [options.bin ?? CLI_BIN, ...args], {
    cwd: options.cwd,
    // A key set to undefined in options.env is removed from the child's environment.
    env: Object.fromEntries(
      Object.entries({ ...process.env, CI: 'true', npm_config_user_agent: '', ...options.env }).filter(([, value]) => value !== undefined),
    ),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(t: TestContext, prefix = 'cse-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file below `dir` with its bytes, keyed by relative path: for byte-for-byte comparisons. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** Options that keep a generation fast and offline. */
export const QUICK = ['--yes', '--no-install', '--no-git'] as const;
