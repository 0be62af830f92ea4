import { isDeepStrictEqual } from 'node:util';
import { InvalidValue, UsageError } from '../errors.ts';
import type { Answers } from './answers.ts';
import { formatValue, type DefaultContext, type OptionSpec } from './registry.ts';

/**
 * Where a value may come from, strongest first. A value found in a source is validated with the option's
 * own parser; the error names the source, so `--port 0`, a preset's `"port": 0` and a team default all
 * get the same explanation.
 */
export interface AnswerSource {
  /** How an error names a key from this source, e.g. `--trust-proxy` or `--preset field "trustProxy"`. */
  readonly describe: (spec: OptionSpec) => string;
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Answers typed at a prompt earlier in this run. One that no longer fits a later change (a database
   * the rate-limit store cannot go with) is asked again rather than refused.
   */
  readonly retypable?: boolean;
  /** Where its values come from, as the summary names it: `flag`, `preset`, `asked`... */
  readonly origin?: AnswerOrigin;
}

/** Where each answer came from, shown beside it in the summary. */
export type AnswerOrigin = 'flag' | 'preset' | 'team default' | 'locked' | 'asked' | 'default';

export interface Resolved {
  readonly values: Readonly<Record<string, unknown>>;
  readonly origins: Readonly<Record<string, AnswerOrigin>>;
}

export interface Asker {
  /**
   * Asks one option; the returned value has been validated with `spec.parse` and is allowed by
   * `spec.conflict` given the answers so far.
   */
  ask(spec: OptionSpec, suggested: unknown, answers: Partial<Answers>): Promise<unknown>;
}

/** Answers a team template does not let anyone change: its own default, else the built-in one. */
export interface Locks {
  readonly keys: ReadonlySet<string>;
  readonly by: string;
  readonly defaults: AnswerSource;
  /** Why a key is locked, when the template implies it rather than says it (it removes the option's file). */
  readonly reasons?: Readonly<Record<string, string>>;
}

export interface ResolveInput {
  /** Values given for this run, strongest first: typed answers, flags, --var, a preset. */
  readonly sources: readonly AnswerSource[];
  /** A team template's defaults: offered where the built-in default would be, and as prompt defaults. */
  readonly suggestions?: AnswerSource;
  readonly folder: string;
  readonly userAgent: string | undefined;
  /** Present only when prompting is allowed (a terminal, no CI, no --yes). */
  readonly asker: Asker | undefined;
  /** When not prompting: take defaults for the gaps (--yes), or refuse naming them. */
  readonly acceptDefaults: boolean;
  /** Why nothing is asked, for the refusal: no terminal, or CI set. */
  readonly whyNotAsking?: string;
  readonly locks?: Locks;
  /** Gaps found before the options, named first when the run has to stop (a target folder). */
  readonly alsoMissing?: readonly string[];
}

export const flagSource = (values: AnswerSource['values']): AnswerSource => ({
  describe: (spec) => `--${spec.flag}`,
  values,
  origin: 'flag',
});

function parseFrom(spec: OptionSpec, source: AnswerSource): unknown {
  const raw = source.values[spec.key];
  if (raw === undefined) return undefined;
  try {
    return spec.parse(raw);
  } catch (error) {
    if (error instanceof InvalidValue) throw new UsageError(`${source.describe(spec)}: ${error.message}`);
    throw error;
  }
}

function givenWithSource(spec: OptionSpec, sources: readonly AnswerSource[]): { value: unknown; source: AnswerSource } | undefined {
  for (const source of sources) {
    const value = parseFrom(spec, source);
    if (value !== undefined) return { value, source };
  }
  return undefined;
}

/** Refuses a value that cannot go with the answers before it (the option's `conflict` rule). */
function checkConflict(spec: OptionSpec, value: unknown, answers: Record<string, unknown>, source: AnswerSource | undefined): void {
  const reason = spec.conflict?.(value as never, answers as Partial<Answers>);
  if (reason !== undefined) throw new UsageError(`${source ? source.describe(spec) : `--${spec.flag}`} ${formatValue(value)}: ${reason}`);
}

/** A locked answer: every source that gives it must agree with the lock (a preset of the same template does). */
function lockedValue(spec: OptionSpec, suggested: unknown, input: ResolveInput, locks: Locks): unknown {
  const value = parseFrom(spec, locks.defaults) ?? suggested;
  for (const source of input.sources) {
    const given = parseFrom(spec, source);
    if (given !== undefined && !isDeepStrictEqual(given, value)) {
      const reason = locks.reasons?.[spec.key];
      throw new UsageError(`${source.describe(spec)}: locked to ${formatValue(value)} by template ${locks.by}${reason ? ` (${reason})` : ''}`);
    }
  }
  return value;
}

/** Whether an option is asked before the summary in this run (see PromptSpec.upFront). */
export function isUpFront(spec: OptionSpec, context: DefaultContext): boolean {
  const upFront = spec.prompt?.upFront;
  return typeof upFront === 'function' ? upFront(context) : upFront === true;
}

/**
 * Resolves each option in table order: locked ?? given ?? (asked up front ? prompt : suggested default).
 * Later defaults may depend on earlier answers (a tier's limits), which is why this is one ordered loop.
 * A default that does not fit the answers before it is asked too, where a prompt can offer only what fits.
 */
export async function resolveValues(specs: readonly OptionSpec[], input: ResolveInput): Promise<Readonly<Record<string, unknown>>> {
  return (await resolveWithOrigins(specs, input)).values;
}

/** resolveValues, saying where each value came from. */
export async function resolveWithOrigins(specs: readonly OptionSpec[], input: ResolveInput): Promise<Resolved> {
  const answers: Record<string, unknown> = {};
  const origins: Record<string, AnswerOrigin> = {};
  const missing: string[] = [...(input.alsoMissing ?? [])];

  for (const spec of specs) {
    const context: DefaultContext = { folder: input.folder, answers: answers as Partial<Answers>, userAgent: input.userAgent };
    if (input.locks?.keys.has(spec.key)) {
      answers[spec.key] = lockedValue(spec, spec.defaultValue(context), input, input.locks);
      origins[spec.key] = 'locked';
      checkConflict(spec, answers[spec.key], answers, input.locks.defaults);
      continue;
    }
    const fits = (value: unknown) => spec.conflict?.(value as never, answers as Partial<Answers>) === undefined;
    const given = givenWithSource(spec, input.sources);
    if (given !== undefined && (fits(given.value) || !(input.asker && given.source.retypable))) {
      checkConflict(spec, given.value, answers, given.source);
      answers[spec.key] = given.value;
      origins[spec.key] = given.source.origin ?? 'flag';
      continue;
    }
    const fromTemplate = input.suggestions && parseFrom(spec, input.suggestions);
    const suggested = fromTemplate ?? spec.defaultValue(context);
    const upFront = isUpFront(spec, context);
    if (input.asker && spec.prompt && (upFront || given !== undefined || suggested === undefined || !fits(suggested))) {
      answers[spec.key] = await input.asker.ask(spec, suggested, answers as Partial<Answers>);
      origins[spec.key] = 'asked';
    } else if (suggested === undefined || (upFront && !input.asker && !input.acceptDefaults)) {
      missing.push(`--${spec.flag}`);
    } else {
      checkConflict(spec, suggested, answers, fromTemplate === undefined ? undefined : input.suggestions);
      answers[spec.key] = suggested;
      origins[spec.key] = fromTemplate === undefined ? 'default' : 'team default';
    }
  }

  if (missing.length > 0) {
    throw new UsageError(
      input.acceptDefaults
        ? `${missing.join(', ')} has no default: give a value`
        : `${input.whyNotAsking ?? 'no terminal to ask on'}: give ${missing.join(', ')}, or pass --yes to accept the defaults`,
    );
  }
  for (const value of Object.values(answers)) if (Array.isArray(value)) Object.freeze(value);
  return { values: Object.freeze(answers), origins: Object.freeze(origins) };
}
