import { countVerdicts, fixOf, severityOf, type CheckResult } from '../model.ts';
import type { RunFacts } from './summary.ts';

/**
 * The results for CI: one object, stable ids, every check with its verdict, severity, evidence and
 * the fix for the cause seen. Written for a stopped run too, with `execution.successful` false.
 */
export function resultsJson(results: readonly CheckResult[], facts: RunFacts): string {
  const report = {
    tool: { name: 'create-secure-express', command: 'check', version: facts.version },
    target: facts.target,
    targets: facts.targets,
    execution: facts.execution,
    preconditions: facts.preconditions,
    requests: { sent: facts.requests, cap: facts.maxRequests },
    seconds: Number(facts.seconds.toFixed(2)),
    summary: countVerdicts(results),
    checks: results.map((result) => ({
      id: result.check.id,
      group: result.check.group,
      title: result.check.title,
      severity: severityOf(result),
      verdict: result.verdict,
      evidence: result.evidence,
      ...(result.path === undefined ? {} : { path: result.path }),
      fix: { text: fixOf(result), file: result.check.fix.file },
    })),
  };
  return JSON.stringify(report, null, 2);
}
