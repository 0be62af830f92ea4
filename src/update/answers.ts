import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../errors.ts';
import type { Answers } from '../options/answers.ts';
import { ANSWERS_FILE } from '../options/answers-file.ts';
import { OPTIONS, formatValue, type AnswerKey, type OptionSpec } from '../options/registry.ts';
import { flagSource, resolveValues, type AnswerSource, type Asker, type Locks, type ResolveInput } from '../options/resolve.ts';
import type { TeamTemplate } from '../team/team-template.ts';
import { varSource } from '../team/questions.ts';
import type { ProjectRecord } from './record.ts';

/**
 * The answers of each side of an update. The base takes the recorded answers as they are (what
 * `--preset .secure-express.json` does). The new version takes, strongest first: the answer flags of
 * this run, the recorded answers, then the new template's defaults; an answer the new version asks for
 * the first time is asked on a terminal, taken from `--var`, or defaulted with `--yes`. Answers the new
 * template locks take its value, whatever was recorded; a flag against a lock is refused.
 */
export interface ResolvedAnswers {
  readonly answers: Readonly<Answers>;
  readonly vars: Readonly<Record<string, unknown>>;
}

interface ResolveContext {
  readonly folder: string;
  readonly asker: Asker | undefined;
  readonly acceptDefaults: boolean;
}

/** Every built-in answer, resolved in registry order. */
const resolveAnswers = async (input: ResolveInput) => (await resolveValues(OPTIONS, input)) as unknown as Readonly<Answers>;

const recordSource = (values: Readonly<Record<string, unknown>>, field: string): AnswerSource => ({
  describe: (spec) => `${ANSWERS_FILE} field "${field}${spec.key}"`,
  values,
});

function parsedOrUndefined(spec: OptionSpec, value: unknown): unknown {
  try {
    return value === undefined ? undefined : spec.parse(value);
  } catch {
    return undefined; // reported, with its source, when the answers are resolved
  }
}

/**
 * The recorded answers the new version starts from. A recorded answer that only was the default implied
 * by earlier answers (the tier's limits, credentials with a cookie session) follows them when this run
 * changes them: `update --rate-limit strict` takes strict's limits, not the standard ones recorded.
 * Locked answers are left to the lock, and answers this version no longer knows are dropped.
 */
function startingAnswers(record: ProjectRecord, given: Readonly<Partial<Record<AnswerKey, unknown>>>, folder: string, locks: Locks | undefined) {
  const context = (answers: Record<string, unknown>) => ({ folder, answers: answers as Partial<Answers>, userAgent: undefined });
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const start: Record<string, unknown> = {};
  for (const spec of OPTIONS) {
    const recorded = parsedOrUndefined(spec, record.answers[spec.key]);
    const implied = spec.defaultValue(context(after));
    const follows = recorded !== undefined && isDeepStrictEqual(recorded, spec.defaultValue(context(before)));
    const locked = locks?.keys.has(spec.key) ? (parsedOrUndefined(spec, locks.defaults.values[spec.key]) ?? implied) : undefined;
    if (recorded !== undefined && locked === undefined) start[spec.key] = follows ? implied : recorded;
    before[spec.key] = recorded;
    after[spec.key] = locked ?? parsedOrUndefined(spec, given[spec.key]) ?? start[spec.key] ?? implied;
  }
  return start;
}

export async function resolveBaseAnswers(record: ProjectRecord, template: TeamTemplate | undefined, folder: string): Promise<ResolvedAnswers> {
  const context = { folder, userAgent: undefined, asker: undefined, acceptDefaults: true };
  const answers = await resolveAnswers({
    ...context,
    sources: [recordSource(record.answers, 'answers.')],
    ...(template ? { suggestions: template.defaults, locks: template.locks } : {}),
  });
  const vars = template ? await resolveValues(template.questions, { ...context, sources: [recordSource(record.vars, 'vars.')] }) : {};
  return { answers, vars };
}

export interface NewAnswersInput extends ResolveContext {
  readonly record: ProjectRecord;
  readonly given: Readonly<Partial<Record<AnswerKey, string | boolean>>>;
  readonly varFlags: readonly string[];
  readonly template: TeamTemplate | undefined;
}

export async function resolveNewAnswers(input: NewAnswersInput): Promise<ResolvedAnswers> {
  const { record, template } = input;
  if (!template && input.varFlags.length > 0) throw new UsageError("--var answers a team template's question; this project uses the built-in templates only");
  const context = { folder: input.folder, userAgent: undefined, asker: input.asker, acceptDefaults: input.acceptDefaults };
  const start = startingAnswers(record, input.given, input.folder, template?.locks);
  const answers = await resolveAnswers({
    ...context,
    sources: [flagSource(input.given), recordSource(start, 'answers.')],
    ...(template ? { suggestions: template.defaults, locks: template.locks } : {}),
  });
  // A question the project has never answered is asked (or needs --var, or --yes for its default):
  // an update does not answer for the user what a first run would have asked.
  const questions = template?.questions.map((spec) =>
    spec.key in record.vars || !spec.prompt ? spec : { ...spec, prompt: { ...spec.prompt, upFront: true } },
  );
  const vars = template
    ? await resolveValues(questions ?? [], {
        ...context,
        sources: [varSource(input.varFlags, template.manifest.questions), recordSource(record.vars, 'vars.')],
      })
    : {};
  return { answers, vars };
}

/** `flag old → new` for each answer that differs, for the summary. */
export function answerChanges(record: ProjectRecord, next: ResolvedAnswers): string[] {
  const show = (value: unknown) => (value === undefined ? '(new)' : formatValue(value));
  const rows = OPTIONS.filter((spec) => !isDeepStrictEqual(record.answers[spec.key], next.answers[spec.key])).map(
    (spec) => `--${spec.flag} ${show(record.answers[spec.key])} → ${show(next.answers[spec.key])}`,
  );
  const varRows = Object.entries(next.vars)
    .filter(([name, value]) => !isDeepStrictEqual(record.vars[name], value))
    .map(([name, value]) => `--var ${name} ${show(record.vars[name])} → ${show(value)}`);
  return [...rows, ...varRows];
}
