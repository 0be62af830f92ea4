import { countVerdicts, type CheckResult } from '../model.ts';

/** What every report says about the run besides the results. */
export interface RunFacts {
  readonly version: string;
  readonly target: string;
  readonly requests: number;
  readonly maxRequests: number;
  readonly seconds: number;
}

export function summaryLine(results: readonly CheckResult[], facts: RunFacts): string {
  const counts = countVerdicts(results);
  return (
    `${results.length} checks: ${counts.fail} failed, ${counts.warn} warned, ${counts.pass} passed, ${counts.skipped} skipped; ` +
    `${facts.requests} requests (cap ${facts.maxRequests}) in ${facts.seconds.toFixed(1)} s`
  );
}
