import { CancelledError, UsageError } from '../errors.ts';
import type { TemplateProvenance } from '../options/answers-file.ts';
import { PACKAGE } from '../package-info.ts';
import { withoutCredentials } from '../team/template-spec.ts';
import { loadTeamTemplate, type TeamTemplate } from '../team/team-template.ts';
import type { Output } from '../ui/output.ts';
import type { Prompter } from '../ui/prompter.ts';
import type { ProjectRecord } from './record.ts';

/**
 * The team template twice: at the commit the project was made from (the base) and at the newest commit
 * of its recorded branch, or of `--to` (the new version). A project on the built-in templates has
 * neither. Both are fetched into private temporary folders, removed when the run ends.
 */
export interface TemplateVersions {
  /** At the recorded commit; only loaded when this generator renders the base itself. */
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

/** `source` is where to fetch the recorded template from: its recorded source, or the --template that names it. */
export async function loadTemplateVersions(record: ProjectRecord, options: { to: string | undefined; needBase: boolean; source: string | undefined }): Promise<TemplateVersions> {
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
  const base = !options.needBase ? undefined : commit === recorded.commit ? next : await load(`${options.source}#${recorded.commit}`, recorded.source);
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
  const where = `${fetched.source}${fetched.commit ? ` at ${fetched.commit.slice(0, 12)}` : ''}`;
  if (!prompter) throw new UsageError(`template ${manifest.name} (${fetched.source}) has a plopfile (code that would run here): pass --trust --template ${fetched.source} to run it, if you trust it`);
  out.warn(`template ${manifest.name} from ${where} has a plopfile: code that runs on this machine with your permissions`);
  if (!(await prompter.confirm(`Run the plopfile of ${where}?`, false))) throw new CancelledError("the template's plopfile was not trusted; nothing was changed");
  return true;
}
