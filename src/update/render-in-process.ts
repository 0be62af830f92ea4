import { planProject } from '../generate.ts';
import type { Provenance } from '../options/answers-file.ts';
import { TEMPLATES_ROOT } from '../package-info.ts';
import type { TeamTemplate } from '../team/team-template.ts';
import type { ResolvedAnswers } from './answers.ts';

/**
 * One side of an update rendered by this generator, exactly as a generation would write it: the same
 * plan (built-in layers, the team layer, `remove`) and the same renderer, into an empty folder.
 */
export interface InProcessVersion {
  readonly resolved: ResolvedAnswers;
  readonly provenance: Provenance;
  readonly template: TeamTemplate | undefined;
}

export async function renderInProcess(version: InProcessVersion, dest: string): Promise<void> {
  const { resolved, provenance, template } = version;
  const plan = planProject({
    answers: resolved.answers,
    vars: resolved.vars,
    provenance,
    templatesRoot: TEMPLATES_ROOT,
    extraLayers: template?.layer ? [template.layer] : [],
    remove: template?.manifest.remove,
  });
  // Imported as the generation imports it, so the bundle keeps the renderer in that one chunk (a chunk shared
  // by the two would cost every scaffold one more module to load).
  const { renderPlan } = await import('../render/render.ts');
  await renderPlan(plan, { ...resolved.answers, ...resolved.vars }, dest, { templatesRoot: TEMPLATES_ROOT, plopfile: template?.plopfile });
}
