import { UsageError } from '../errors.ts';
import type { Answers } from '../options/answers.ts';
import { OPTIONS, labelOf, type OptionSpec } from '../options/registry.ts';
import { resolveWithOrigins, type AnswerOrigin, type AnswerSource, type ResolveInput } from '../options/resolve.ts';
import type { Output } from '../ui/output.ts';
import type { Prompter } from '../ui/prompter.ts';

/**
 * The answers of a run, built-in and a team template's, and on a terminal the way to change them: the
 * few questions with no safe default are asked up front; the summary then offers "Change something",
 * which asks any other option and resolves everything again, so a changed tier moves the limits that
 * were not set by hand. What the user types becomes the strongest source for the rest of the run.
 */
export interface AnswerSettings extends Omit<ResolveInput, 'sources' | 'asker'> {
  readonly specs: readonly OptionSpec[];
  /** Flags, --var, the preset: strongest first. */
  readonly given: readonly AnswerSource[];
  readonly prompter: Prompter | undefined;
}

export interface Settled {
  readonly answers: Readonly<Answers>;
  /** A team template's extra answers. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Every value, by key: what summaries show. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Where each value came from, by key. */
  readonly origins: Readonly<Record<string, AnswerOrigin>>;
}

const BUILT_IN = new Set<string>(OPTIONS.map((spec) => spec.key));

function split({ values, origins }: { values: Readonly<Record<string, unknown>>; origins: Readonly<Record<string, AnswerOrigin>> }): Settled {
  const entries = Object.entries(values);
  return {
    answers: Object.fromEntries(entries.filter(([key]) => BUILT_IN.has(key))) as unknown as Answers,
    vars: Object.fromEntries(entries.filter(([key]) => !BUILT_IN.has(key))),
    values,
    origins,
  };
}

export interface AnswerSession {
  readonly current: () => Settled;
  /** The options a user may change: those with a prompt and no lock. */
  readonly changeable: readonly OptionSpec[];
  /** Asks one option again; says why and keeps the old answer when the new one cannot go with the rest. */
  readonly change: (spec: OptionSpec) => Promise<void>;
}

export async function startAnswers(settings: AnswerSettings, out: Output): Promise<AnswerSession> {
  const { specs, given, prompter, ...input } = settings;
  const typed: Record<string, unknown> = {};
  const typedSource: AnswerSource = { describe: (spec) => `your answer for ${labelOf(spec)}`, values: typed, retypable: true, origin: 'asked' };
  const asker = prompter && {
    ask: async (spec: OptionSpec, suggested: unknown, answers: Partial<Answers>) => (typed[spec.key] = await prompter.ask(spec, suggested, answers)),
  };
  const resolveAll = () => resolveWithOrigins(specs, { ...input, sources: [typedSource, ...given], asker });

  let settled = split(await resolveAll());
  return {
    current: () => settled,
    changeable: specs.filter((spec) => spec.prompt && !input.locks?.keys.has(spec.key)),
    async change(spec) {
      if (!asker) return;
      const before = { ...typed };
      await asker.ask(spec, settled.values[spec.key], settled.values as Partial<Answers>);
      try {
        settled = split(await resolveAll());
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        out.warn(`${error.message}; kept ${labelOf(spec)} as it was`);
        for (const key of Object.keys(typed)) delete typed[key];
        Object.assign(typed, before);
      }
    },
  };
}
