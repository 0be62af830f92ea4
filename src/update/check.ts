import { PACKAGE } from '../package-info.ts';
import { fetchTemplate, parseTemplateSpec } from '../team/fetch.ts';
import type { Output } from '../ui/output.ts';
import type { ProjectRecord } from './record.ts';

/**
 * `update --check`, for a scheduled job: is there a newer generator than the one that made the project,
 * or a newer commit on its template's branch (or on `--to`)? Nothing is rendered and nothing written.
 * Exit 0: up to date; 1: an update is available.
 */
export async function checkForUpdate(record: ProjectRecord, to: string | undefined, shown: string, out: Output): Promise<number> {
  const rows: string[] = [];
  if (record.generator.version !== PACKAGE.version) rows.push(`generator  ${PACKAGE.name} ${record.generator.version} → ${PACKAGE.version}`);
  const { template } = record;
  if (template.source !== 'built-in') {
    const ref = to ?? template.ref;
    const fetched = await fetchTemplate(parseTemplateSpec(ref ? `${template.source}#${ref}` : template.source, process.cwd()));
    const short = (commit: string | undefined) => commit?.slice(0, 12) ?? '(none)';
    if (fetched.commit !== template.commit) rows.push(`template   ${template.name ?? template.source} ${ref ?? 'HEAD'}: ${short(template.commit)} → ${short(fetched.commit)}`);
  }
  if (rows.length === 0) {
    out.info(`${shown} is up to date (${PACKAGE.name} ${PACKAGE.version}${template.source === 'built-in' ? '' : `, template ${template.name ?? template.source} at ${template.commit?.slice(0, 12)}`})`);
    return 0;
  }
  out.info([`An update is available for ${shown}:`, ...rows.map((row) => `  ${row}`), `Run ${out.cyan(`create-secure-express update${to ? ` --to ${to}` : ''}`)} to apply it.`].join('\n'));
  return 1;
}
