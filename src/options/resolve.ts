import { InvalidValue, UsageError } from '../errors.ts';
import type { Answers } from './answers.ts';
import { OPTIONS, type AnswerKey, type OptionSpec } from './registry.ts';

/**
 * Where a value may come from, strongest first. A value found in a source is validated with the option's
 * own parser; the error names the source, so `--port 0`, a preset's `"port": 0` and a team default all
 * get the same explanation.
 */
export interface AnswerSource {
  /** How an error names a key from this source, e.g. `--trust-proxy` or `preset field "trustProxy"`. */
  readonly describe: (spec: OptionSpec) => string;
  readonly values: Readonly<Partial<Record<AnswerKey, unknown>>>;
}

export interface Asker {
  /** Asks one option; the returned value has been validated with `spec.parse`. */
  ask(spec: OptionSpec, suggested: unknown, answers: Partial<Answers>): Promise<unknown>;
  /** Whether to ask the options the previous answer implied (the tier's limits). */
  wantsToAdjust(specs: readonly OptionSpec[], suggested: Partial<Answers>): Promise<boolean>;
}

export interface ResolveInput {
  readonly sources: readonly AnswerSource[];
  readonly folder: string;
  readonly userAgent: string | undefined;
  /** Present only when prompting is allowed (a terminal, no CI, no --yes). */
  readonly asker: Asker | undefined;
  /** When not prompting: take defaults for the gaps (--yes), or refuse naming them. */
  readonly acceptDefaults: boolean;
}

export const flagSource = (values: AnswerSource['values']): AnswerSource => ({
  describe: (spec) => `--${spec.flag}`,
  values,
});

function fromSources(spec: OptionSpec, sources: readonly AnswerSource[]): { found: boolean; value?: unknown } {
  for (const source of sources) {
    const raw = source.values[spec.key];
    if (raw === undefined) continue;
    try {
      return { found: true, value: spec.parse(raw) };
    } catch (error) {
      if (error instanceof InvalidValue) throw new UsageError(`${source.describe(spec)}: ${error.message}`);
      throw error;
    }
  }
  return { found: false };
}

/** Resolves every option: source ?? (interactive ? prompt : default). Returns frozen, validated answers. */
export async function resolveAnswers(input: ResolveInput): Promise<Readonly<Answers>> {
  const answers: Partial<Record<AnswerKey, unknown>> = {};
  const missing: string[] = [];
  let adjustDecision: boolean | undefined;

  for (const spec of OPTIONS) {
    const given = fromSources(spec, input.sources);
    if (given.found) {
      answers[spec.key] = given.value;
      continue;
    }
    const context = { folder: input.folder, answers: answers as Partial<Answers>, userAgent: input.userAgent };
    const suggested = spec.defaultValue(context);
    if (!spec.prompt || (input.asker === undefined && input.acceptDefaults)) {
      answers[spec.key] = suggested;
    } else if (input.asker === undefined) {
      missing.push(`--${spec.flag}`);
      answers[spec.key] = suggested;
    } else {
      if (spec.prompt.adjustable && adjustDecision === undefined) {
        const adjustable = OPTIONS.filter((other) => other.prompt?.adjustable && !fromSources(other, input.sources).found);
        const implied = Object.fromEntries(adjustable.map((other) => [other.key, other.defaultValue(context)]));
        adjustDecision = await input.asker.wantsToAdjust(adjustable, implied);
      }
      answers[spec.key] = spec.prompt.adjustable && !adjustDecision
        ? suggested
        : await input.asker.ask(spec, suggested, answers as Partial<Answers>);
    }
  }

  if (missing.length > 0) {
    throw new UsageError(`no terminal to ask on: give ${missing.join(', ')}, or pass --yes to accept the defaults`);
  }
  for (const value of Object.values(answers)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(answers as Answers);
}
