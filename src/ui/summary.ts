import { formatValue, labelOf, type OptionSpec } from '../options/registry.ts';
import type { Locks } from '../options/resolve.ts';
import type { Output } from './output.ts';

/**
 * What a run is about to make, shown before anything is written (and by --dry-run): every answer, the
 * team template it comes from, which answers that template locked (and why), and the cautions.
 */
export interface SummaryInput {
  readonly target: string;
  readonly specs: readonly OptionSpec[];
  readonly values: Readonly<Record<string, unknown>>;
  readonly template?: { readonly name: string; readonly locks: Locks };
  readonly cautions: readonly string[];
}

export function summary(out: Output, { target, specs, values, template, cautions }: SummaryInput): string {
  const width = Math.max(...specs.map((spec) => labelOf(spec).length)) + 2;
  const lockNote = (spec: OptionSpec) => {
    if (!template?.locks.keys.has(spec.key)) return '';
    const reason = template.locks.reasons?.[spec.key];
    return out.dim(`  locked by ${template.name}${reason ? `: ${reason}` : ''}`);
  };
  const rows = specs.map((spec) => `  ${labelOf(spec).padEnd(width)}${formatValue(values[spec.key])}${lockNote(spec)}`);
  return [
    `${out.bold('Project')} ${target}${template ? ` ${out.dim(`from template ${template.name}`)}` : ''}`,
    ...rows,
    ...cautions.map((caution) => `${out.bold('!')} ${caution}`),
  ].join('\n');
}
