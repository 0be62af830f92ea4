import { PACKAGE } from '../package-info.ts';
import type { Output } from '../ui/output.ts';
import type { ProjectRecord } from './record.ts';
import { codeToTrust, loadTemplateVersions } from './templates.ts';

/**
 * `update --check`, for a scheduled job: is there a newer generator than the one that made the project,
 * or a newer commit on its template's branch (or on `--to`)? Nothing is rendered and nothing written;
 * when applying it would need --trust, the command to run says so, and why.
 * Exit 0: up to date; 1: an update is available.
 */
export async function checkForUpdate(record: ProjectRecord, fetching: { to: string | undefined; source: string | undefined }, shown: string, out: Output): Promise<number> {
  const { to } = fetching;
  const rows: string[] = [];
  if (record.generator.version !== PACKAGE.version) rows.push(`generator  ${PACKAGE.name} ${record.generator.version} → ${PACKAGE.version}`);
  const { template } = record;
  const short = (commit: string | undefined) => commit?.slice(0, 12) ?? '(none)';
  const versions = template.source === 'built-in' ? undefined : await loadTemplateVersions(record, { ...fetching, needBase: 'for install settings' });
  if (versions) {
    const next = versions.nextProvenance;
    if (next.commit !== template.commit) rows.push(`template   ${template.name ?? template.source} ${next.ref ?? 'HEAD'}: ${short(template.commit)} → ${short(next.commit)}`);
  }
  if (rows.length === 0) {
    const at = template.source === 'built-in' ? '' : `, template ${template.name ?? template.source} at ${short(template.commit)}`;
    out.info(`${shown} is up to date (${PACKAGE.name} ${PACKAGE.version}${at})`);
    return 0;
  }
  const code = versions ? codeToTrust(versions) : [];
  const trust = versions?.next && code.length > 0 ? ` --trust --template ${versions.next.fetched.source}` : '';
  const run = `Run ${out.cyan(`create-secure-express update${to ? ` --to ${to}` : ''}${trust}`)} to apply it`;
  const why = trust ? `, if you trust the template: ${code.join('; ')}.` : '.';
  out.info([`An update is available for ${shown}:`, ...rows.map((row) => `  ${row}`), `${run}${why}`].join('\n'));
  return 1;
}
