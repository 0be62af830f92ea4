import { CancelledError, UsageError } from '../errors.ts';
import type { TemplateProvenance } from '../options/answers-file.ts';
import { PACKAGE } from '../package-info.ts';
import { outputPath } from '../render/plan.ts';
import { withoutCredentials } from '../team/template-spec.ts';
import { isInstallSettingOf, loadTeamTemplate, type TeamTemplate } from '../team/team-template.ts';
import type { Output } from '../ui/output.ts';
import type { Prompter } from '../ui/prompter.ts';
import type { Change } from './changes.ts';
import type { ProjectRecord } from './record.ts';
import { readTree, type Tree } from './tree.ts';

/**
 * The team template twice: at the commit the project was made from (the base) and at the newest commit
 * of its recorded branch, or of `--to` (the new version). A project on the built-in templates has
 * neither. Both are fetched into private temporary folders, removed when the run ends.
 */
export interface TemplateVersions {
  /** At the recorded commit; only loaded when asked for (see `needBase`). */
  readonly base: TeamTemplate | undefined;
  readonly next: TeamTemplate | undefined;
  /** What the updated `.secure-express.json` records. */
  readonly nextProvenance: TemplateProvenance;
}

/** Errors from fetching name `--template`, which an update was not given: name the template instead. */
async function load(spec: string, source: string): Promise<TeamTemplate> {
  try {
    return await loadTeamTemplate(spec, process.cwd(), PACKAGE.version);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^--template(?: \S+)?:/, `template ${withoutCredentials(source)}:`), { cause: error });
    throw error;
  }
}

/**
 * `source` is where to fetch the recorded template from: its recorded source, or the --template that
 * names it. `needBase`: true when this generator renders the base, or when the trust the release that
 * rebuilds it needs is to be known; `--check` needs it only to compare the package-manager settings
 * the template writes.
 */
export async function loadTemplateVersions(
  record: ProjectRecord,
  options: { to: string | undefined; needBase: boolean | 'for install settings'; source: string | undefined },
): Promise<TemplateVersions> {
  const recorded = record.template;
  if (recorded.source === 'built-in' || options.source === undefined) {
    if (options.to) throw new UsageError('--to picks a team template\'s branch, tag or commit; this project uses the built-in templates only');
    return { base: undefined, next: undefined, nextProvenance: { source: 'built-in' } };
  }
  if (!recorded.commit) {
    throw new UsageError(
      `the project's template ${recorded.source} was a local folder, so no commit was recorded and its base cannot be rebuilt: ` +
        'set template.source and template.commit in .secure-express.json to the git repository and commit it was made from',
    );
  }
  const ref = options.to ?? recorded.ref;
  const next = await load(ref ? `${options.source}#${ref}` : options.source, recorded.source);
  const commit = next.fetched.commit;
  const needBase = options.needBase === true || (options.needBase === 'for install settings' && next.installSettings.length > 0);
  const base = !needBase ? undefined : commit === recorded.commit ? next : await load(`${options.source}#${recorded.commit}`, recorded.source);
  return {
    base,
    next,
    nextProvenance: {
      source: next.fetched.source,
      name: next.manifest.name,
      ...(ref && ref !== commit ? { ref } : {}),
      ...(commit ? { commit } : {}),
    },
  };
}

/** How a trust question names the template: its source, at the commit fetched. */
const sourceAt = ({ fetched }: TeamTemplate) => `${fetched.source}${fetched.commit ? ` at ${fetched.commit.slice(0, 12)}` : ''}`;

/**
 * A template's plopfile is code: as when generating, it runs only with --trust (given for the template
 * --template names, see named-template.ts), or after a yes on a terminal naming the repository. The answer also covers the base, rendered from the same repository.
 */
export async function trustPlopfiles(
  versions: TemplateVersions,
  trust: boolean,
  prompter: Prompter | undefined,
  out: Output,
): Promise<boolean> {
  const withPlopfile = [versions.next, versions.base].find((template) => template?.plopfile);
  if (trust || !withPlopfile) return trust;
  const { fetched, manifest } = withPlopfile;
  const where = sourceAt(withPlopfile);
  if (!prompter) throw new UsageError(`template ${manifest.name} (${fetched.source}) has a plopfile (code that would run here): pass --trust --template ${fetched.source} to run it, if you trust it`);
  out.warn(`template ${manifest.name} from ${where} has a plopfile: code that runs on this machine with your permissions`);
  if (!(await prompter.confirm(`Run the plopfile of ${where}?`, false))) throw new CancelledError("the template's plopfile was not trusted; nothing was changed");
  return true;
}

const INSTALL_SETTINGS_WHY = 'package-manager settings the install would obey';

/**
 * Package-manager settings are code as well (see team-template.ts): an update that would write one the
 * template adds or changes (as a new file, its new version, or merged with yours) needs the same trust
 * as a plopfile. One the new version leaves as it was is not written, and needs none.
 */
export async function trustInstallSettings(
  changes: readonly Change[],
  next: TeamTemplate | undefined,
  trusted: boolean,
  prompter: Prompter | undefined,
  out: Output,
): Promise<void> {
  if (trusted || !next) return;
  const written = changes.filter((change) => change.file && isInstallSettingOf(next, change.path));
  if (written.length === 0) return;
  const { fetched, manifest } = next;
  const files = written.map((change) => `${change.path} (${change.kind})`).join(', ');
  if (!prompter) throw new UsageError(`template ${manifest.name} (${fetched.source}) would write ${files}, ${INSTALL_SETTINGS_WHY}: pass --trust --template ${fetched.source} to write them, if you trust it`);
  const where = sourceAt(next);
  out.warn(`template ${manifest.name} from ${where} would write ${files}: ${INSTALL_SETTINGS_WHY}, where packages come from and what runs at install`);
  if (!(await prompter.confirm(`Write the package-manager settings of ${where}?`, false))) throw new CancelledError("the template's package-manager settings were not trusted; nothing was changed");
}

/**
 * Why applying the new version needs --trust, as `update --check` tells a scheduled job before it runs
 * the update: a plopfile, or package-manager settings whose files in templates/ the new commit adds or
 * changes (a forecast from the template's files: the update itself decides on the rendered ones).
 */
export function codeToTrust({ base, next }: TemplateVersions): string[] {
  if (!next) return [];
  const plopfile = [base, next].some((template) => template?.plopfile) ? ['the template has a plopfile (code that would run here)'] : [];
  const before: Tree = base?.layer ? readTree(base.layer.dir) : new Map();
  const changed = next.layer ? [...readTree(next.layer.dir)].filter(([path, file]) => isInstallSettingOf(next, outputPath(path)) && !before.get(path)?.data.equals(file.data)) : [];
  const settings = [...new Set(changed.map(([path]) => outputPath(path)))];
  return [...plopfile, ...(settings.length > 0 ? [`its new version adds or changes ${settings.join(', ')} (${INSTALL_SETTINGS_WHY})`] : [])];
}
