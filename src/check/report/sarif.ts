import { createHash } from 'node:crypto';
import { fixOf, severityOf, type Severity, type CheckResult } from '../model.ts';
import type { RunFacts } from './summary.ts';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** GitHub code scanning's scale: 7.0 and over is high, 4.0 to 6.9 medium, under 4.0 low. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { high: '8.0', medium: '5.5', low: '3.0' };

/**
 * The results as SARIF 2.1.0, for code-scanning dashboards. Every check is a rule; each failure
 * (level error) and warning (level warning) is a result, located at the URL where it was seen (an
 * absolute URI and a logical location: no file of the scanned repository is where an HTTP answer
 * lives). Each result's fingerprint is its rule and path, hashed, so the same finding on the same
 * route is the same alert in every run and on every host and port. A run that stopped (unreachable,
 * a 502) says so: `executionSuccessful` false, with the reason.
 */
export function resultsSarif(results: readonly CheckResult[], facts: RunFacts): string {
  const origin = new URL(facts.target).origin;
  const rules = results.map(({ check }) => ({
    id: check.id,
    // SARIF wants an identifier here: headers/no-store becomes HeadersNoStore.
    name: check.id.replace(/(?:^|[/-])(\w)/g, (_match, letter: string) => letter.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: { text: `${check.fix.text}. A generated project does it in ${check.fix.file}.` },
    defaultConfiguration: { level: check.severity === 'low' ? 'warning' : 'error' },
    properties: { tags: ['security', 'http', check.group.toLowerCase()], precision: 'high', 'security-severity': SECURITY_SEVERITY[check.severity] },
  }));
  const findings = results
    .map((result, ruleIndex) => ({ result, ruleIndex }))
    .filter(({ result }) => result.verdict === 'fail' || result.verdict === 'warn')
    .map(({ result, ruleIndex }) => {
      const path = result.path ?? new URL(facts.target).pathname;
      const url = `${origin}${path}`;
      const severity = severityOf(result);
      return {
        ruleId: result.check.id,
        ruleIndex,
        kind: 'fail',
        level: result.verdict === 'fail' ? 'error' : 'warning',
        message: { text: `${result.evidence}. Fix: ${fixOf(result)}.` },
        locations: [{ physicalLocation: { artifactLocation: { uri: url } }, logicalLocations: [{ name: path, fullyQualifiedName: url, kind: 'resource' }] }],
        partialFingerprints: { 'checkFinding/v1': createHash('sha256').update(`${result.check.id}\n${path}`).digest('hex').slice(0, 32) },
        properties: { severity, 'security-severity': SECURITY_SEVERITY[severity], url },
      };
    });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'create-secure-express check', semanticVersion: facts.version, version: facts.version, rules } },
        invocations: [
          {
            executionSuccessful: facts.execution.successful,
            ...(facts.execution.successful ? {} : { toolExecutionNotifications: [{ level: 'error', message: { text: facts.execution.reason } }] }),
          },
        ],
        results: findings,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
