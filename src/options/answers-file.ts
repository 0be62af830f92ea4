import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import type { Answers } from './answers.ts';
import { parseJson } from './parse-json.ts';
import { OPTIONS, type AnswerKey } from './registry.ts';
import type { AnswerSource } from './resolve.ts';
import { CONTROL_CHARACTERS } from './validators.ts';

/**
 * `.secure-express.json`: which generator and template made a project, and every answer, so that
 * `--preset` can make the same project again, byte for byte. It never holds a secret: no answer is one.
 */
export const ANSWERS_FILE = '.secure-express.json';

export interface TemplateProvenance {
  /** `built-in`, or a team template's absolute path or git URL (without the ref). */
  readonly source: string;
  readonly name?: string;
  readonly ref?: string;
  readonly commit?: string;
}

/**
 * A recorded template's source, name, ref and commit are shown in the plan, in `update --check`'s
 * report and in conflict markers, and the ref and commit are given to git: a record edited to hold a
 * terminal escape, a newline or an option must not get there.
 */
const TEMPLATE_FIELDS = [
  ['source', { test: (value: string) => value !== '' && !CONTROL_CHARACTERS.test(value) }, '"built-in" or where the team template came from'],
  ['name', /^[a-z0-9][a-z0-9._-]*$/, "a template manifest's name"],
  ['ref', /^\w[\w./-]*$/, 'a branch or tag'],
  ['commit', /^[0-9a-f]{4,64}$/, 'a commit hash'],
] as const;

export function badTemplateField(template: Readonly<Record<string, unknown>>): { readonly field: string; readonly expected: string } | undefined {
  for (const [field, format, expected] of TEMPLATE_FIELDS) {
    const value = template[field];
    if (value !== undefined && (typeof value !== 'string' || !format.test(value))) return { field, expected };
  }
  return undefined;
}

export interface Provenance {
  readonly generator: { readonly name: string; readonly version: string };
  readonly template: TemplateProvenance;
}

/** Keys in registry order (and a team's questions in theirs), so the same answers give the same bytes. */
export function answersFileContent(provenance: Provenance, answers: Readonly<Answers>, vars: Readonly<Record<string, unknown>> = {}): string {
  const ordered = Object.fromEntries(OPTIONS.map((spec) => [spec.key, answers[spec.key]]));
  const extra = Object.keys(vars).length > 0 ? { vars } : {};
  return `${JSON.stringify({ ...provenance, answers: ordered, ...extra }, null, 2)}\n`;
}

export interface Preset {
  readonly answers: AnswerSource;
  /** A team template's extra answers. */
  readonly vars: AnswerSource;
  readonly template: TemplateProvenance | undefined;
}

const KNOWN_KEYS = new Set<string>(OPTIONS.map((spec) => spec.key));

/** Reads a preset: a `.secure-express.json` (its `answers`, `vars` and `template`) or a plain object of answers. */
export function readPreset(file: string): Preset {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`--preset: cannot read ${file}: ${reason}`);
  }
  let data: unknown;
  try {
    data = parseJson(text);
  } catch (error) {
    throw new UsageError(`--preset: ${file} is not valid JSON (${(error as Error).message})`);
  }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const saved = isObject(data) && 'answers' in data ? data : undefined;
  const answers = saved ? saved.answers : data;
  const vars = isObject(saved?.vars) ? saved.vars : {};
  const template = isObject(saved?.template) && typeof saved.template.source === 'string' ? (saved.template as unknown as TemplateProvenance) : undefined;
  if (!isObject(answers)) {
    throw new UsageError(`--preset: ${file} must hold an object of answers (or a .secure-express.json)`);
  }
  const bad = template && badTemplateField(template as unknown as Record<string, unknown>);
  if (bad) throw new UsageError(`--preset: field "template.${bad.field}" must be ${bad.expected}`);
  const unknown = Object.keys(answers).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new UsageError(`--preset: unknown field ${unknown.map((key) => JSON.stringify(key)).join(', ')}; accepted: ${[...KNOWN_KEYS].join(', ')}`);
  }
  // A preset is often another project's answers file: its name is that project's. The new project is
  // named after its folder, or --name.
  const { name: _otherProject, ...shared } = answers;
  return {
    answers: { describe: (spec) => `--preset field "${spec.key}"`, values: shared as Partial<Record<AnswerKey, unknown>>, origin: 'preset' },
    vars: { describe: (spec) => `--preset field "vars.${spec.key}"`, values: vars, origin: 'preset' },
    template,
  };
}
