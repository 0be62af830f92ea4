import { countVerdicts, type CheckResult } from '../model.ts';

/** Whether the run could judge the API at all, and if not why (unreachable, a 502, a redirect). */
export type Execution = { readonly successful: true } | { readonly successful: false; readonly reason: string };

/** What every report says about the run besides the results. */
export interface RunFacts {
  readonly version: string;
  /** The first URL named. */
  readonly target: string;
  readonly targets: readonly string[];
  readonly requests: number;
  readonly maxRequests: number;
  readonly seconds: number;
  readonly execution: Execution;
  /** What the URLs (and the limit path) answered first: `GET /healthz → 200`. */
  readonly preconditions: readonly string[];
}

export function summaryLine(results: readonly CheckResult[], facts: RunFacts): string {
  const counts = countVerdicts(results);
  return (
    `${results.length} checks: ${counts.fail} failed, ${counts.warn} warned, ${counts.pass} passed, ${counts.skipped} skipped; ` +
    `${facts.requests} requests (cap ${facts.maxRequests}) in ${facts.seconds.toFixed(1)} s`
  );
}
