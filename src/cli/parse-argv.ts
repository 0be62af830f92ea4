import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { OPTIONS, type AnswerKey } from '../options/registry.ts';
import { CONTROL_FLAGS, type ControlFlag } from './control-flags.ts';
import { closestFlag } from './did-you-mean.ts';

export interface ParsedArgv {
  readonly directory: string | undefined;
  /** Raw answer values given as flags, keyed by answer name, not validated yet. */
  readonly given: Readonly<Partial<Record<AnswerKey, string | boolean>>>;
  readonly template: string | undefined;
  readonly preset: string | undefined;
  /** `--var name=value` pairs for a team template's questions. */
  readonly vars: readonly string[];
  readonly trust: boolean;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

/** The answer flags of the registry, plus a command's own control flags. */
const parseOptionsFor = (controls: readonly ControlFlag[]): ParseOptions => Object.fromEntries([
  ...OPTIONS.map((spec) => [spec.flag, { type: spec.kind === 'boolean' ? 'boolean' : 'string' }] as const),
  ...controls.map((control) => [
    control.flag,
    {
      type: control.kind === 'boolean' ? 'boolean' : 'string',
      ...('short' in control ? { short: control.short } : {}),
      ...('multiple' in control ? { multiple: control.multiple } : {}),
    },
  ] as const),
]);

/** Every long flag a command accepts, with the `--no-` form of each boolean: what a typo is compared with. */
const knownFlags = (options: ParseOptions): string[] =>
  Object.entries(options).flatMap(([flag, option]) => (option.type === 'boolean' ? [flag, `no-${flag}`] : [flag]));

/** Turns Node's parseArgs errors into one line that names the flag and points at `--help`. */
function usageErrorFrom(error: unknown, options: ParseOptions): UsageError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
    {
      const near = flag.startsWith('--') ? closestFlag(flag, knownFlags(options)) : undefined;
      return new UsageError(`unknown option ${flag}${near ? `; did you mean --${near}?` : ''} (see --help for the accepted flags)`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('argument missing')
        ? new UsageError(`${flag.replace(/^(--\S+).*/, '$1')} needs a value (see --help)`)
        : new UsageError(`${flag} takes no value; use ${flag} or --no-${flag.replace(/^--/, '')}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`only one target folder is accepted, got an extra argument ${/'([^']+)'/.exec(message)?.[1] ?? ''}`);
    default:
      return new UsageError(message.split('\n')[0] ?? 'invalid arguments');
  }
}

export interface ParsedFlags {
  readonly folder: string | undefined;
  readonly given: Readonly<Partial<Record<AnswerKey, string | boolean>>>;
  /** Control flags' values by flag name. */
  readonly controls: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

/** One folder, the answer flags and the given control flags; `update` parses its own controls with it. */
export function parseFlags(argv: readonly string[], controls: readonly ControlFlag[]): ParsedFlags {
  const options = parseOptionsFor(controls);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error, options);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`only one target folder is accepted, got ${positionals.map((p) => JSON.stringify(p)).join(' and ')}`);
  }
  const given: Partial<Record<AnswerKey, string | boolean>> = {};
  for (const spec of OPTIONS) {
    const value = values[spec.flag];
    if (value !== undefined) given[spec.key] = value as string | boolean;
  }
  return { folder: positionals[0], given: Object.freeze(given), controls: values };
}

export function parseArgv(argv: readonly string[]): ParsedArgv {
  const { folder, given, controls: values } = parseFlags(argv, CONTROL_FLAGS);
  const controlValue = (flag: string) => values[flag];
  const text = (flag: string) => controlValue(flag) as string | undefined;
  const on = (flag: string) => controlValue(flag) === true;
  return Object.freeze({
    directory: folder,
    given,
    template: text('template'),
    preset: text('preset'),
    vars: (controlValue('var') as string[] | undefined) ?? [],
    trust: on('trust'),
    force: on('force'),
    dryRun: on('dry-run'),
    yes: on('yes'),
    help: on('help'),
    version: on('version'),
  });
}
