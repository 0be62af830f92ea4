import type { Check, CheckResult } from '../model.ts';
import type { RunFacts } from './summary.ts';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * The results as SARIF 2.1.0, for code-scanning dashboards. Every check is a rule; each failure
 * (level error) and warning (level warning) is a result. A result's location is the file of a
 * generated project that does it right: in such a project that is where the fix goes, and dashboards
 * need a file to show an alert against. The URL probed is in the message and the result's properties.
 */
export function resultsSarif(results: readonly CheckResult[], facts: RunFacts): string {
  const checks: Check[] = results.map((result) => result.check);
  const rules = checks.map((check) => ({
    id: check.id,
    // SARIF wants an identifier here: headers/not-found becomes HeadersNotFound.
    name: check.id.replace(/(?:^|[/-])(\w)/g, (_match, letter: string) => letter.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: { text: `${check.fix.text}. A generated project does it in ${check.fix.file}.` },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'http', check.group.toLowerCase()] },
  }));
  const findings = results
    .map((result, ruleIndex) => ({ result, ruleIndex }))
    .filter(({ result }) => result.verdict === 'fail' || result.verdict === 'warn')
    .map(({ result, ruleIndex }) => ({
      ruleId: result.check.id,
      ruleIndex,
      kind: 'fail',
      level: result.verdict === 'fail' ? 'error' : 'warning',
      message: { text: `${facts.target}: ${result.evidence}. Fix: ${result.check.fix.text}.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: result.check.fix.file, uriBaseId: '%SRCROOT%' } } }],
      properties: { url: facts.target },
    }));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'create-secure-express check', semanticVersion: facts.version, version: facts.version, rules } },
        invocations: [{ executionSuccessful: true }],
        results: findings,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
