import { spawn } from 'node:child_process';
import { CLI_BIN, CLI_NODE } from './cli.ts';

/**
 * `create-secure-express check ...` from the packed bin, run asynchronously: the API it probes often
 * lives in the test's own process, whose event loop must keep serving while the check runs.
 */
export interface CheckRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCheckCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CheckRun> {
  const child = spawn(CLI_NODE, [CLI_BIN, 'check', ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, CI: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The `--json` report's shape, as far as the tests read it. */
export interface CheckReport {
  readonly target: string;
  readonly execution: { readonly successful: boolean; readonly reason?: string };
  readonly preconditions: readonly string[];
  readonly requests: { readonly sent: number; readonly cap: number };
  readonly summary: Record<'pass' | 'fail' | 'warn' | 'skipped', number>;
  readonly checks: readonly {
    id: string;
    group: string;
    title: string;
    severity: 'high' | 'medium' | 'low';
    verdict: string;
    evidence: string;
    path?: string;
    fix: { text: string; file: string };
  }[];
}

export function parseReport(run: CheckRun): CheckReport {
  try {
    return JSON.parse(run.stdout) as CheckReport;
  } catch {
    throw new Error(`check --json printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

export const idsWith = (report: CheckReport, verdict: string) =>
  report.checks
    .filter((check) => check.verdict === verdict)
    .map((check) => check.id)
    .sort();
