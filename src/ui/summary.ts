import { formatValue, labelOf, type OptionSpec } from '../options/registry.ts';
import type { AnswerOrigin, Locks } from '../options/resolve.ts';
import type { Output } from './output.ts';

/**
 * What a run is about to make, shown before anything is written (and by --dry-run): every answer, the
 * team template it comes from, which answers that template locked (and why), and the cautions.
 */
export interface SummaryInput {
  readonly target: string;
  readonly specs: readonly OptionSpec[];
  readonly values: Readonly<Record<string, unknown>>;
  /** Where each answer came from: a flag, the preset, the team template, a default, or asked. */
  readonly origins: Readonly<Record<string, AnswerOrigin>>;
  readonly template?: { readonly name: string; readonly locks: Locks };
  readonly cautions: readonly string[];
}

export function summary(out: Output, { target, specs, values, origins, template, cautions }: SummaryInput): string {
  const width = Math.max(...specs.map((spec) => labelOf(spec).length)) + 2;
  // Long lists of origins would push every note far right: past this width, a value just gets its two spaces.
  const valueWidth = Math.min(Math.max(...specs.map((spec) => formatValue(values[spec.key]).length)), 24) + 2;
  const valueCell = (text: string) => `${text}  `.padEnd(valueWidth);
  const originNote = (spec: OptionSpec) => {
    if (!template?.locks.keys.has(spec.key)) return out.dim(origins[spec.key] ?? '');
    const reason = template.locks.reasons?.[spec.key];
    return out.dim(`locked by ${template.name}${reason ? `: ${reason}` : ''}`);
  };
  const rows = specs.map((spec) => `  ${labelOf(spec).padEnd(width)}${valueCell(formatValue(values[spec.key]))}${originNote(spec)}`.trimEnd());
  return [
    `${out.bold('Project')} ${target}${template ? ` ${out.dim(`from template ${template.name}`)}` : ''}`,
    ...rows,
    // The same words as out.warn, where a run off a terminal says them: set apart, so they are seen.
    ...(cautions.length > 0 ? ['', ...cautions.map((caution) => `${out.yellow('warning:')} ${caution}`)] : []),
  ].join('\n');
}
