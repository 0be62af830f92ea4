/**
 * What `check` works with: each check is one row of a table, with an id (stable, for CI and SARIF), a
 * title for people, the fix a generated project applies and the file where it does, and a probe that
 * turns real HTTP exchanges into a verdict with its evidence.
 */
import type { ProbeContext } from './context.ts';

export type Verdict = 'pass' | 'fail' | 'warn' | 'skipped';

export const VERDICTS: readonly Verdict[] = ['fail', 'warn', 'pass', 'skipped'];

export interface Outcome {
  readonly verdict: Verdict;
  /** One line: what was sent and what came back, or why the check could not run. */
  readonly evidence: string;
}

export interface Fix {
  /** What to change, in one sentence. */
  readonly text: string;
  /** The file of a generated project that does it right, relative to the project root. */
  readonly file: string;
}

export interface Check {
  readonly id: string;
  readonly group: string;
  readonly title: string;
  /** What the check looks for, for SARIF rules and `--json` readers. */
  readonly description: string;
  readonly fix: Fix;
  readonly run: (context: ProbeContext) => Promise<Outcome>;
}

export interface CheckResult extends Outcome {
  readonly check: Check;
}

export const outcome = (verdict: Verdict, evidence: string): Outcome => ({ verdict, evidence });
export const pass = (evidence: string): Outcome => ({ verdict: 'pass', evidence });
export const fail = (evidence: string): Outcome => ({ verdict: 'fail', evidence });
export const warn = (evidence: string): Outcome => ({ verdict: 'warn', evidence });
export const skipped = (evidence: string): Outcome => ({ verdict: 'skipped', evidence });

/** The worse of several verdicts, for checks that look at several responses. */
export function worst(verdicts: readonly Verdict[]): Verdict {
  return VERDICTS.find((verdict) => verdicts.includes(verdict)) ?? 'pass';
}

export function countVerdicts(results: readonly CheckResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, warn: 0, skipped: 0 };
  for (const result of results) counts[result.verdict] += 1;
  return counts;
}
