import { UsageError } from '../errors.ts';
import type { TemplateProvenance } from '../options/answers-file.ts';
import { parseTemplateSpec, withoutCredentials } from './template-spec.ts';

/**
 * `--trust` trusts the team template the person running the command named with `--template`, never
 * one a file names. A preset and a project's `.secure-express.json` are files anyone who can open a
 * pull request can edit: were a recorded source trusted, a change of `template.source` alone would
 * have a CI job that runs `update --trust` run the plopfile of a template of the author's choosing. So
 * a recorded template is trusted only when `--template` names it too, on the same command line.
 */

/** Whether a `--template` value names the recorded source: the same repository or folder, credentials aside, and no #ref of its own. */
export function namesRecordedSource(named: string, recorded: TemplateProvenance, cwd: string): boolean {
  const location = parseTemplateSpec(named, cwd);
  // A record written before credentials were kept out of it may still hold a token: the repository is what counts.
  return location.ref === undefined && location.source === withoutCredentials(recorded.source);
}

/**
 * What a generation fetches: `--template` as given, or the preset's template at its recorded commit.
 * A `--template` that names the preset's own source (to trust it) still takes the preset's commit and
 * ref, so that `--preset .secure-express.json --template <its source> --trust` makes the same project.
 */
export function templateToGenerate(
  named: string | undefined,
  recorded: TemplateProvenance | undefined,
  trust: boolean,
  cwd: string,
): { readonly spec: string; readonly recorded: TemplateProvenance | undefined } | undefined {
  if (named === undefined) {
    if (!recorded) return undefined;
    if (trust) {
      throw new UsageError(`--trust covers the template named by --template, not one a preset names: if you trust ${withoutCredentials(recorded.source)}, add --template ${withoutCredentials(recorded.source)}`);
    }
    return { spec: recorded.commit ? `${recorded.source}#${recorded.commit}` : recorded.source, recorded };
  }
  if (recorded?.commit && namesRecordedSource(named, recorded, cwd)) return { spec: `${named}#${recorded.commit}`, recorded };
  return { spec: named, recorded: undefined };
}

/**
 * What `update` fetches the project's template from: its recorded source, or the `--template` that
 * names it (which may carry the credentials to fetch it with). `update --trust` needs that
 * `--template`; one that names another template is refused, since an update keeps a project on the
 * template it was made from.
 */
export function templateToUpdate(named: string | undefined, recorded: TemplateProvenance, trust: boolean, cwd: string): string | undefined {
  if (recorded.source === 'built-in') {
    if (named !== undefined) throw new UsageError(`--template ${withoutCredentials(named)}: this project uses the built-in templates only, and update keeps a project on what made it`);
    return undefined;
  }
  // A record written before credentials were kept out of it may still hold a token: not echoed.
  const shown = withoutCredentials(recorded.source);
  if (named === undefined) {
    if (trust) {
      throw new UsageError(
        `--trust covers the template named by --template, not the one .secure-express.json names (a file anyone can edit): if you trust ${shown}, add --template ${shown}`,
      );
    }
    return recorded.source;
  }
  if (parseTemplateSpec(named, cwd).ref !== undefined) throw new UsageError(`--template ${withoutCredentials(named)}: name the repository only; --to picks its branch, tag or commit`);
  if (!namesRecordedSource(named, recorded, cwd)) {
    throw new UsageError(`--template ${withoutCredentials(named)} is not the project's template: .secure-express.json records ${shown} (if that was not you, restore the file from git)`);
  }
  return named;
}
