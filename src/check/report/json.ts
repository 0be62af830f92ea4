import { countVerdicts, type CheckResult } from '../model.ts';
import type { RunFacts } from './summary.ts';

/** The results for CI: one object, stable ids, every check with its verdict, evidence and fix. */
export function resultsJson(results: readonly CheckResult[], facts: RunFacts): string {
  const report = {
    tool: { name: 'create-secure-express', command: 'check', version: facts.version },
    target: facts.target,
    requests: { sent: facts.requests, cap: facts.maxRequests },
    seconds: Number(facts.seconds.toFixed(2)),
    summary: countVerdicts(results),
    checks: results.map(({ check, verdict, evidence }) => ({ id: check.id, group: check.group, title: check.title, verdict, evidence, fix: check.fix })),
  };
  return JSON.stringify(report, null, 2);
}
