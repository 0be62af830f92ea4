import { PACKAGE } from '../package-info.ts';
import type { Output } from '../ui/output.ts';
import type { ProjectRecord } from './record.ts';
import { loadTemplateVersions } from './templates.ts';

/**
 * `update --check`, for a scheduled job: is there a newer generator than the one that made the project,
 * or a newer commit on its template's branch (or on `--to`)? Nothing is rendered and nothing written.
 * Exit 0: up to date; 1: an update is available.
 */
export async function checkForUpdate(record: ProjectRecord, fetching: { to: string | undefined; source: string | undefined }, shown: string, out: Output): Promise<number> {
  const { to } = fetching;
  const rows: string[] = [];
  if (record.generator.version !== PACKAGE.version) rows.push(`generator  ${PACKAGE.name} ${record.generator.version} → ${PACKAGE.version}`);
  const { template } = record;
  const short = (commit: string | undefined) => commit?.slice(0, 12) ?? '(none)';
  if (template.source !== 'built-in') {
    const next = (await loadTemplateVersions(record, { ...fetching, needBase: false })).nextProvenance;
    if (next.commit !== template.commit) rows.push(`template   ${template.name ?? template.source} ${next.ref ?? 'HEAD'}: ${short(template.commit)} → ${short(next.commit)}`);
  }
  if (rows.length === 0) {
    const at = template.source === 'built-in' ? '' : `, template ${template.name ?? template.source} at ${short(template.commit)}`;
    out.info(`${shown} is up to date (${PACKAGE.name} ${PACKAGE.version}${at})`);
    return 0;
  }
  out.info([`An update is available for ${shown}:`, ...rows.map((row) => `  ${row}`), `Run ${out.cyan(`create-secure-express update${to ? ` --to ${to}` : ''}`)} to apply it.`].join('\n'));
  return 1;
}
