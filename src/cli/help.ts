import { OPTIONS, formatValue, type OptionSpec } from '../options/registry.ts';
import { CONTROL_FLAGS, type ControlFlag } from './control-flags.ts';
import { wrap } from '../ui/wrap.ts';

/** `--help`, built from the same tables as the flags and the prompts so that it cannot fall behind. */

function answerUsage(spec: OptionSpec): string {
  return spec.kind === 'boolean' ? `--${spec.flag} | --no-${spec.flag}` : `--${spec.flag} ${spec.placeholder ?? '<value>'}`;
}

function answerDefault(spec: OptionSpec): string {
  if (spec.defaultHelp) return spec.defaultHelp;
  const value = spec.defaultValue({ folder: 'my-api', answers: {}, userAgent: undefined });
  return Array.isArray(value) && value.length === 0 ? 'none' : formatValue(value);
}

function controlUsage(control: ControlFlag): string {
  const long = control.kind === 'boolean' ? `--${control.flag}` : `--${control.flag} ${control.placeholder ?? '<value>'}`;
  return control.short ? `-${control.short}, ${long}` : long;
}

const LINE_WIDTH = 100;


export function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([usage]) => usage.length)) + 4;
  return rows
    .map(([usage, text]) =>
      wrap(text, LINE_WIDTH - width)
        .map((line, index) => `${(index === 0 ? `  ${usage}` : '').padEnd(width)}${line}`)
        .join('\n'),
    )
    .join('\n');
}

/** The answer options, one row each; `update` lists them too (to change an answer). */
export const answerRows = () => OPTIONS.map((spec) => [answerUsage(spec), `${spec.help} (default: ${answerDefault(spec)})`] as const);

export const controlRows = (controls: readonly ControlFlag[]) => controls.map((control) => [controlUsage(control), control.help] as const);

export function helpText(version: string): string {
  const flags = OPTIONS.filter((spec) => spec.prompt?.upFront === true).map((spec) => `--${spec.flag}`);
  const asked = `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}`;
  return [
    `create-secure-express ${version}`,
    'Scaffold an Express 5 + TypeScript JSON API that is hardened from its first commit.',
    '',
    'Usage: create-secure-express [directory] [options]',
    '       npm create secure-express@latest [directory] -- [options]',
    '       create-secure-express update [project folder] [options]    (update a project: see update --help)',
    '       create-secure-express check <url> [options]                (probe a running API: see check --help)',
    '',
    `Project options (on a terminal, ${asked} are asked when not given,`,
    'and the summary shown before writing offers to change any answer):',
    table(answerRows()),
    '',
    'Run options:',
    table(controlRows(CONTROL_FLAGS)),
    '',
    `Without a terminal, or with CI set, nothing is asked: give ${asked},`,
    'or pass --yes to take their defaults.',
    'Use "." as the directory to generate into the current folder.',
    '',
  ].join('\n');
}
