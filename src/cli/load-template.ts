import { CancelledError, UsageError } from '../errors.ts';
import type { Preset, TemplateProvenance } from '../options/answers-file.ts';
import { PACKAGE } from '../package-info.ts';
import type { Output } from '../ui/output.ts';
import type { Prompter } from '../ui/prompter.ts';
import type { ParsedArgv } from './parse-argv.ts';

/**
 * The team template named by --template, or by the preset when reproducing a project. A plopfile is
 * code from someone else, and so are package-manager settings the install would obey (a registry of
 * the template's choosing serves the packages, and their install scripts, for example): a template
 * with either is used only with --trust (for the template --template names), or after a yes on a
 * terminal naming the source.
 */
export async function loadTemplate(args: ParsedArgv, preset: Preset | undefined, cwd: string, out: Output, prompter: Prompter | undefined) {
  const inPreset = preset?.template?.source !== 'built-in' ? preset?.template : undefined;
  if (args.template === undefined && !inPreset) return undefined;
  const [{ templateToGenerate }, { loadTeamTemplate }] = await Promise.all([import('../team/named-template.ts'), import('../team/team-template.ts')]);
  const chosen = templateToGenerate(args.template, inPreset, args.trust, cwd);
  if (!chosen) return undefined;
  const { spec, recorded } = chosen;
  const template = await loadTeamTemplate(spec, cwd, PACKAGE.version);
  const { fetched, manifest, plopfile, installSettings } = template;
  const code = [
    ...(plopfile ? ['a plopfile (code that would run here)'] : []),
    ...installSettings.map((file) => `${file} (package-manager settings the install would obey)`),
  ];
  if (code.length > 0 && !args.trust) {
    const where = fetched.commit ? `${fetched.source} at ${fetched.commit.slice(0, 12)}` : fetched.source;
    const toTrust = args.template ? '--trust' : `--template ${fetched.source} --trust`;
    if (!prompter) throw new UsageError(`--template ${fetched.shown} has ${code.join(' and ')}: pass ${toTrust} to use it, if you trust it`);
    out.warn(`template ${manifest.name} from ${where} has ${code.join(' and ')}: code that runs on this machine with your permissions`);
    if (!(await prompter.confirm(`Trust the template ${where}?`, false))) throw new CancelledError('the template was not trusted; nothing was written');
  }
  const ref = recorded?.ref ?? fetched.ref;
  const provenance: TemplateProvenance = {
    source: fetched.source,
    name: manifest.name,
    ...(ref && ref !== fetched.commit ? { ref } : {}),
    ...(fetched.commit ? { commit: fetched.commit } : {}),
  };
  return { template, provenance };
}
