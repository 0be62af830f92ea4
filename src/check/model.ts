/**
 * What `check` works with: each check looks for one cause and is one row of a table, with an id
 * (stable, for CI and SARIF), a title for people, how bad its cause is, the fix a generated project
 * applies and the file where it does, and a probe that turns real HTTP exchanges into a verdict with
 * its evidence.
 */
import type { ProbeContext } from './context.ts';

export type Verdict = 'pass' | 'fail' | 'warn' | 'skipped';

export const VERDICTS: readonly Verdict[] = ['fail', 'warn', 'pass', 'skipped'];

/** How much an attacker gains from the cause a check looks for. */
export type Severity = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

export interface Outcome {
  readonly verdict: Verdict;
  /** One line: what was sent and what came back, or why the check could not run. */
  readonly evidence: string;
  /** The path the finding was seen on, when it is not the first URL. */
  readonly path?: string;
  /** When what was seen is worse or milder than the check's usual cause (CORS with or without credentials). */
  readonly severity?: Severity;
  /** When the cause seen has a fix of its own (a 500 for malformed JSON: the error handler, not the limit). */
  readonly fix?: string;
  /** The fix is in the proxy in front (nginx's server_tokens), which no file of a generated project holds. */
  readonly fixInProxy?: boolean;
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
  readonly severity: Severity;
  readonly fix: Fix;
  readonly run: (context: ProbeContext) => Promise<Outcome>;
}

export interface CheckResult extends Outcome {
  readonly check: Check;
}

type Extra = Pick<Outcome, 'path' | 'severity' | 'fix' | 'fixInProxy'>;

export const outcome = (verdict: Verdict, evidence: string, extra: Extra = {}): Outcome => ({ verdict, evidence, ...extra });
export const pass = (evidence: string, extra: Extra = {}): Outcome => outcome('pass', evidence, extra);
export const fail = (evidence: string, extra: Extra = {}): Outcome => outcome('fail', evidence, extra);
export const warn = (evidence: string, extra: Extra = {}): Outcome => outcome('warn', evidence, extra);
export const skipped = (evidence: string): Outcome => outcome('skipped', evidence);

/** The worse of several verdicts, for checks that look at several responses. */
export function worst(verdicts: readonly Verdict[]): Verdict {
  return VERDICTS.find((verdict) => verdicts.includes(verdict)) ?? 'pass';
}

export function countVerdicts(results: readonly CheckResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, warn: 0, skipped: 0 };
  for (const result of results) counts[result.verdict] += 1;
  return counts;
}

/** The severity a result is reported with: what it saw, else its check's. */
export const severityOf = (result: CheckResult): Severity => result.severity ?? result.check.severity;

/** The fix a result is reported with: the one for the cause it saw, else its check's. */
export const fixOf = (result: CheckResult): string => result.fix ?? result.check.fix.text;
