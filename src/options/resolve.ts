import { isDeepStrictEqual } from 'node:util';
import { InvalidValue, UsageError } from '../errors.ts';
import type { Answers } from './answers.ts';
import { OPTIONS, formatValue, type OptionSpec } from './registry.ts';

/**
 * Where a value may come from, strongest first. A value found in a source is validated with the option's
 * own parser; the error names the source, so `--port 0`, a preset's `"port": 0` and a team default all
 * get the same explanation.
 */
export interface AnswerSource {
  /** How an error names a key from this source, e.g. `--trust-proxy` or `--preset field "trustProxy"`. */
  readonly describe: (spec: OptionSpec) => string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface Asker {
  /**
   * Asks one option; the returned value has been validated with `spec.parse` and is allowed by
   * `spec.conflict` given the answers so far.
   */
  ask(spec: OptionSpec, suggested: unknown, answers: Partial<Answers>): Promise<unknown>;
  /** Whether to ask the options the previous answer implied (the tier's limits). */
  wantsToAdjust(specs: readonly OptionSpec[], suggested: Readonly<Record<string, unknown>>): Promise<boolean>;
}

/** Answers a team template does not let anyone change: its own default, else the built-in one. */
export interface Locks {
  readonly keys: ReadonlySet<string>;
  readonly by: string;
  readonly defaults: AnswerSource;
}

export interface ResolveInput {
  readonly sources: readonly AnswerSource[];
  readonly folder: string;
  readonly userAgent: string | undefined;
  /** Present only when prompting is allowed (a terminal, no CI, no --yes). */
  readonly asker: Asker | undefined;
  /** When not prompting: take defaults for the gaps (--yes), or refuse naming them. */
  readonly acceptDefaults: boolean;
  readonly locks?: Locks;
  /** Gaps found before the options, named first when the run has to stop (a target folder). */
  readonly alsoMissing?: readonly string[];
}

export const flagSource = (values: AnswerSource['values']): AnswerSource => ({
  describe: (spec) => `--${spec.flag}`,
  values,
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

function firstGiven(spec: OptionSpec, sources: readonly AnswerSource[]): unknown {
  return givenWithSource(spec, sources)?.value;
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
      throw new UsageError(`${source.describe(spec)}: locked to ${formatValue(value)} by template ${locks.by}`);
    }
  }
  return value;
}

/**
 * Resolves each option in table order: locked ?? source ?? (interactive ? prompt : default). Later
 * defaults may depend on earlier answers (a tier's limits), which is why this is one ordered loop.
 */
export async function resolveValues(specs: readonly OptionSpec[], input: ResolveInput): Promise<Readonly<Record<string, unknown>>> {
  const answers: Record<string, unknown> = {};
  const missing: string[] = [...(input.alsoMissing ?? [])];
  let adjustDecision: boolean | undefined;

  for (const spec of specs) {
    const context = { folder: input.folder, answers: answers as Partial<Answers>, userAgent: input.userAgent };
    const suggested = spec.defaultValue(context);
    if (input.locks?.keys.has(spec.key)) {
      answers[spec.key] = lockedValue(spec, suggested, input, input.locks);
      checkConflict(spec, answers[spec.key], answers, input.locks.defaults);
      continue;
    }
    const given = givenWithSource(spec, input.sources);
    if (given !== undefined) {
      checkConflict(spec, given.value, answers, given.source);
      answers[spec.key] = given.value;
    } else if (input.asker && spec.prompt) {
      if (spec.prompt.adjustable && adjustDecision === undefined) {
        const adjustable = specs.filter(
          (other) => other.prompt?.adjustable && !input.locks?.keys.has(other.key) && firstGiven(other, input.sources) === undefined,
        );
        const implied = Object.fromEntries(adjustable.map((other) => [other.key, other.defaultValue(context)]));
        adjustDecision = await input.asker.wantsToAdjust(adjustable, implied);
      }
      answers[spec.key] = spec.prompt.adjustable && !adjustDecision ? suggested : await input.asker.ask(spec, suggested, answers as Partial<Answers>);
    } else if (suggested === undefined || (spec.prompt && !input.asker && !input.acceptDefaults)) {
      missing.push(`--${spec.flag}`);
    } else {
      checkConflict(spec, suggested, answers, undefined);
      answers[spec.key] = suggested;
    }
  }

  if (missing.length > 0) {
    throw new UsageError(
      input.acceptDefaults
        ? `${missing.join(', ')} has no default: give a value`
        : `no terminal to ask on: give ${missing.join(', ')}, or pass --yes to accept the defaults`,
    );
  }
  for (const value of Object.values(answers)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(answers);
}

export async function resolveAnswers(input: ResolveInput): Promise<Readonly<Answers>> {
  return (await resolveValues(OPTIONS, input)) as unknown as Readonly<Answers>;
}
