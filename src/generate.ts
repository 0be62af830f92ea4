import { projectPackageJson } from './project/package-json.ts';
import type { Answers } from './options/answers.ts';
import { ANSWERS_FILE, answersFileContent, type Provenance } from './options/answers-file.ts';
import { builtInLayers, type Layer } from './render/layers.ts';
import { planFiles, type PlannedFile } from './render/plan.ts';

/**
 * From answers to the list of files: the built-in layers the answers switch on, any team layers on top,
 * and the two files made by code. Pure apart from reading the template folders, so a dry run and the
 * tests see exactly what a real run writes.
 */
export interface ProjectPlanInput {
  readonly answers: Readonly<Answers>;
  /** A team template's extra answers. */
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly provenance: Provenance;
  readonly templatesRoot: string;
  readonly extraLayers?: readonly Layer[];
  readonly remove?: readonly string[];
}

export function planProject(input: ProjectPlanInput): PlannedFile[] {
  return planFiles({
    layers: [...builtInLayers(input.templatesRoot, input.answers), ...(input.extraLayers ?? [])],
    generated: {
      'package.json': `${JSON.stringify(projectPackageJson(input.answers), null, 2)}\n`,
      [ANSWERS_FILE]: answersFileContent(input.provenance, input.answers, input.vars),
    },
    remove: input.remove,
  });
}
