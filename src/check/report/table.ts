import type { Output } from '../../ui/output.ts';
import { fixOf, severityOf, type CheckResult, type Verdict } from '../model.ts';
import { summaryLine, type RunFacts } from './summary.ts';
import { wrap } from '../../ui/wrap.ts';

const LABELS: Readonly<Record<Verdict, string>> = { pass: 'pass', fail: 'FAIL', warn: 'warn', skipped: 'skip' };


/**
 * The results for people: one row per check under its group, verdict, title and evidence (with the
 * severity of each failure and warning), and the fix for the cause seen under each. On a terminal the evidence wraps under its column and the verdicts
 * are coloured; elsewhere (a CI log, a pipe) each row stays on one line, for grep.
 */
export function renderTable(results: readonly CheckResult[], facts: RunFacts, out: Output, columns: number | undefined): string {
  const paint: Readonly<Record<Verdict, (text: string) => string>> = {
    pass: out.green,
    fail: (text) => out.bold(out.red(text)),
    warn: out.yellow,
    skipped: out.dim,
  };
  const titleWidth = Math.max(...results.map((result) => result.check.title.length));
  const indent = 2 + 4 + 2 + titleWidth + 2;
  const evidenceWidth = columns && columns - indent >= 30 ? columns - indent : undefined;
  const flow = (text: string) => (evidenceWidth ? wrap(text, evidenceWidth) : [text]);
  const lines = [`${out.bold('create-secure-express check')} ${facts.target}`];
  let group = '';
  for (const result of results) {
    if (result.check.group !== group) {
      group = result.check.group;
      lines.push('', out.bold(group));
    }
    const flagged = result.verdict === 'fail' || result.verdict === 'warn';
    const [first = '', ...rest] = flow(flagged ? `(${severityOf(result)}) ${result.evidence}` : result.evidence);
    lines.push(`  ${paint[result.verdict](LABELS[result.verdict])}  ${result.check.title.padEnd(titleWidth)}  ${first}`);
    lines.push(...rest.map((line) => `${' '.repeat(indent)}${line}`));
    if (flagged) {
      const where = result.fixInProxy ? '' : ` (see ${result.check.fix.file} in a generated project)`;
      lines.push(...flow(`fix: ${fixOf(result)}${where}`).map((line) => `${' '.repeat(indent)}${out.dim(line)}`));
    }
  }
  lines.push('', summaryLine(results, facts));
  return lines.join('\n');
}
