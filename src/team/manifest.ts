import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidValue, UsageError } from '../errors.ts';
import type { AnswerKey } from '../options/registry.ts';
import { ANSWERS_FILE } from '../options/answers-file.ts';
import { parseJson } from '../options/parse-json.ts';
import { OPTIONS, optionByKey } from '../options/registry.ts';
import { CONTROL_CHARACTERS } from '../options/validators.ts';
import { validateSchema } from './json-schema.ts';
import { MANIFEST_FILE, manifestSchema } from './manifest-schema.ts';
import { isValidRange, satisfies } from './semver-range.ts';

/** A team template's manifest, validated: against the published schema, then against the registry. */
export interface TemplateQuestion {
  readonly name: string;
  readonly message: string;
  readonly type: 'input' | 'confirm' | 'select';
  readonly choices?: readonly string[];
  readonly pattern?: string;
  /** What `pattern` accepts, in words, for the person answering: "an email address such as team@acme.test". */
  readonly expected?: string;
  readonly required?: boolean;
  readonly default?: string | boolean;
}

export interface TemplateManifest {
  readonly name: string;
  readonly description?: string;
  readonly requires?: string;
  readonly defaults: Readonly<Partial<Record<AnswerKey, unknown>>>;
  readonly locked: readonly AnswerKey[];
  readonly remove: readonly string[];
  readonly questions: readonly TemplateQuestion[];
}

const MADE_BY_THE_GENERATOR = ['package.json', ANSWERS_FILE];

function semanticErrors(manifest: TemplateManifest, generatorVersion: string): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(manifest.defaults)) {
    try {
      optionByKey(key)?.parse(value);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      errors.push(`defaults.${key}: ${error.message}`);
    }
  }
  manifest.questions.forEach((question, index) => {
    const at = `questions[${index}]`;
    if (optionByKey(question.name)) errors.push(`${at}.name: "${question.name}" is a built-in answer; choose another name`);
    if (question.type === 'select' && !question.choices) errors.push(`${at}.choices: a select question needs choices`);
    if (question.pattern !== undefined) {
      try {
        new RegExp(question.pattern, 'u');
      } catch {
        errors.push(`${at}.pattern: not a valid regular expression`);
      }
    }
    const expected = question.type === 'confirm' ? 'boolean' : 'string';
    if (question.default !== undefined && typeof question.default !== expected) errors.push(`${at}.default: must be a ${expected}`);
    else if (typeof question.default === 'string' && CONTROL_CHARACTERS.test(question.default)) errors.push(`${at}.default: must not hold control characters`);
  });
  // Made by code, not templates: without them the project has no dependencies, or no record to update from.
  manifest.remove.forEach((path, index) => {
    if (MADE_BY_THE_GENERATOR.includes(path)) errors.push(`remove[${index}]: "${path}" is made by the generator, not a built-in template file; it cannot be removed`);
  });
  for (const spec of OPTIONS) {
    if (spec.addsFile && manifest.remove.includes(spec.addsFile) && manifest.defaults[spec.key] === true) {
      errors.push(`defaults.${spec.key}: true contradicts remove: "${spec.addsFile}" (removing it turns ${spec.key} off)`);
    }
  }
  if (manifest.requires !== undefined) {
    if (!isValidRange(manifest.requires)) errors.push(`requires: ${JSON.stringify(manifest.requires)} is not a semver range`);
    else if (!satisfies(generatorVersion, manifest.requires)) {
      errors.push(`requires: the template needs create-secure-express ${manifest.requires}; this is ${generatorVersion}`);
    }
  }
  return errors;
}

export async function readManifest(dir: string, source: string, generatorVersion: string): Promise<TemplateManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new UsageError(`--template ${source}: no ${MANIFEST_FILE} at its top level`);
  }
  let data: unknown;
  try {
    data = parseJson(text);
  } catch (error) {
    throw new UsageError(`--template ${source}: ${MANIFEST_FILE} is not valid JSON (${(error as Error).message})`);
  }
  const schemaErrors = validateSchema(data, manifestSchema);
  const raw = data as Partial<TemplateManifest>;
  const manifest: TemplateManifest = {
    name: String(raw.name),
    description: raw.description,
    requires: raw.requires,
    defaults: raw.defaults ?? {},
    locked: raw.locked ?? [],
    remove: raw.remove ?? [],
    questions: (raw.questions ?? []).map((question) => ({ ...question, type: question.type ?? 'input' })),
  };
  const errors = schemaErrors.length > 0 ? schemaErrors : semanticErrors(manifest, generatorVersion);
  if (errors.length > 0) throw new UsageError(`--template ${source}: invalid ${MANIFEST_FILE}: ${errors.join('; ')}`);
  return manifest;
}
