import type { Output } from '../ui/output.ts';
import type { Change, ChangeKind } from './changes.ts';

/** What an update shows: where it goes from and to, each file's fate, and what is left to do. */
const ORDER: readonly ChangeKind[] = ['new', 'updated', 'merged', 'conflict', 'deleted', 'kept'];

export interface Heading {
  readonly project: string;
  readonly from: string;
  readonly to: string;
  readonly answers: readonly string[];
}

export function headingText(out: Output, heading: Heading): string {
  return [
    `${out.bold('Updating')} ${heading.project}`,
    `  from     ${heading.from}`,
    `  to       ${heading.to}`,
    ...(heading.answers.length > 0 ? heading.answers.map((row, index) => `  ${index === 0 ? 'answers' : ''.padEnd(7)}  ${row}`) : []),
  ].join('\n');
}

export function planText(out: Output, changes: readonly Change[]): string {
  if (changes.length === 0) return 'Nothing to change: the project already matches the new version.';
  const sorted = [...changes].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.path < b.path ? -1 : 1));
  const paint = (kind: ChangeKind, text: string) => (kind === 'conflict' ? out.bold(text) : kind === 'kept' ? out.dim(text) : text);
  return sorted.map((change) => `  ${paint(change.kind, change.kind.padEnd(9))}${change.path}${change.note ? out.dim(`  (${change.note})`) : ''}`).join('\n');
}

export function countsText(changes: readonly Change[]): string {
  const counts = ORDER.map((kind) => [kind, changes.filter((change) => change.kind === kind).length] as const).filter(([, count]) => count > 0);
  return counts.map(([kind, count]) => `${count} ${kind === 'conflict' && count > 1 ? 'conflicts' : kind}`).join(', ');
}

/**
 * The next steps: conflicts to resolve, a reinstall when package.json changed, a review and a commit.
 * A conflict in a text file has markers in it; one at a binary file, a link or a folder of yours has
 * none (nothing was written there), and the steps say which is which.
 */
export function nextStepsText(out: Output, changes: readonly Change[], pm: string): string[] {
  const conflicts = changes.filter((change) => change.kind === 'conflict');
  const withMarkers = conflicts.filter((change) => change.file);
  const withoutMarkers = conflicts.filter((change) => !change.file);
  const dependencies = changes.some((change) => change.path === 'package.json' && change.file);
  return [
    ...(withMarkers.length > 0
      ? [`Resolve the conflicts (between <<<<<<< and >>>>>>> markers) in:`, ...withMarkers.map((change) => `  ${out.bold(change.path)}`)]
      : []),
    ...(withoutMarkers.length > 0
      ? [
          'Decide by hand what to keep in these (they were left as they were, with no markers):',
          ...withoutMarkers.map((change) => `  ${out.bold(change.path)}${change.note ? out.dim(`  (${change.note})`) : ''}`),
        ]
      : []),
    ...(dependencies ? [`package.json changed: run ${out.cyan(`${pm} install`)} to update the lockfile and node_modules`] : []),
    `Review with ${out.cyan('git diff')}, then commit.`,
  ];
}
