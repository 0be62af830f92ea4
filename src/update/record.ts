import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { ANSWERS_FILE, badTemplateField, type Provenance, type TemplateProvenance } from '../options/answers-file.ts';
import { parseJson } from '../options/parse-json.ts';

/**
 * A project's `.secure-express.json`, read for an update: which generator version and template commit
 * made it, and its answers. Read leniently (an answer this version no longer knows is dropped later, not
 * refused), but the provenance must be exact: it decides which generator and commit rebuild the base.
 */
export interface ProjectRecord extends Provenance {
  readonly file: string;
  readonly answers: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// What npm accepts as a package name and an exact version: both end up as arguments to npm.
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+[\w.-]+)?$/;

export function readRecord(projectDir: string): ProjectRecord {
  const file = join(projectDir, ANSWERS_FILE);
  // The record is rewritten at the end of the update: a link would have it read from, and point at, elsewhere.
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) throw new UsageError(`${file} is a symbolic link: update reads and writes the project's own record only; restore it from git`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`no ${ANSWERS_FILE} in ${projectDir}: update works on a project made by create-secure-express (run it in the project's folder, or name the folder)`);
    }
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseJson(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}); restore it from git`);
  }
  const invalid = (field: string, expected: string) => new UsageError(`${file}: field "${field}" must be ${expected}; restore it from git`);
  if (!isObject(data)) throw invalid('(top level)', 'an object');
  const { generator, template, answers, vars } = data;
  if (!isObject(generator) || typeof generator.name !== 'string' || !PACKAGE_NAME.test(generator.name)) throw invalid('generator.name', 'an npm package name');
  if (typeof generator.version !== 'string' || !EXACT_VERSION.test(generator.version)) throw invalid('generator.version', 'an exact version such as 1.2.3');
  if (!isObject(template) || typeof template.source !== 'string') {
    throw invalid('template.source', '"built-in" or where the team template came from');
  }
  const bad = badTemplateField(template);
  if (bad) throw invalid(`template.${bad.field}`, bad.expected);
  if (!isObject(answers)) throw invalid('answers', 'an object of answers');
  if (vars !== undefined && !isObject(vars)) throw invalid('vars', 'an object');
  return {
    file,
    generator: { name: generator.name, version: generator.version },
    template: template as unknown as TemplateProvenance,
    answers,
    vars: vars ?? {},
  };
}

/** How a generator version and template commit read in the summary and in conflict markers. */
export function describeVersion(provenance: Provenance): string {
  const { generator, template } = provenance;
  if (template.source === 'built-in') return `${generator.name} ${generator.version}`;
  const commit = template.commit ? ` (${template.commit.slice(0, 8)})` : '';
  return `${generator.name} ${generator.version} + ${template.name ?? template.source}${template.ref ? ` ${template.ref}` : ''}${commit}`;
}
