import { CONTROL_FLAGS, type ControlFlag } from '../cli/control-flags.ts';
import { answerRows, controlRows, table } from '../cli/help.ts';
import { parseFlags } from '../cli/parse-argv.ts';
import type { AnswerKey } from '../options/registry.ts';
import { DEFAULT_GIT_TIMEOUT_SECONDS, GIT_TIMEOUT_VARIABLE } from '../team/git-timeout.ts';

/**
 * `update`'s command line: its own control flags, the generator's flags that still make sense during
 * an update (--var, --trust, --yes, --debug, --help, --version), and every answer flag of the
 * registry, so that an answer can change on the way (`update --rate-limit strict`).
 */
const UPDATE_ONLY = [
  { flag: 'to', kind: 'value', placeholder: '<ref>', help: "the team template's branch, tag or commit to update to (default: the newest commit of the recorded branch)" },
  { flag: 'check', kind: 'boolean', help: 'only say whether an update is available: exit 0 when there is none, 1 when there is one' },
  { flag: 'dry-run', kind: 'boolean', help: 'print what would change (new, updated, merged, conflicting, deleted, kept), write nothing' },
  { flag: 'allow-dirty', kind: 'boolean', help: 'update even with uncommitted changes, or outside a git repository' },
  {
    flag: 'template',
    kind: 'value',
    placeholder: '<source>',
    help: "the project's team template, as .secure-express.json records it (a URL may add credentials): names the template --trust trusts",
  },
  {
    flag: 'base-generator',
    kind: 'value',
    placeholder: '<tgz|dir>',
    help: 'the generator version that made the project, as an `npm pack` tarball or an unpacked package folder, instead of fetching it with npm',
  },
] as const satisfies readonly ControlFlag[];

const SHARED = new Set(['var', 'trust', 'yes', 'debug', 'help', 'version']);

export const UPDATE_FLAGS: readonly ControlFlag[] = [...UPDATE_ONLY, ...CONTROL_FLAGS.filter((control) => SHARED.has(control.flag))];

export interface UpdateArgs {
  readonly directory: string | undefined;
  readonly given: Readonly<Partial<Record<AnswerKey, string | boolean>>>;
  readonly to: string | undefined;
  readonly check: boolean;
  readonly dryRun: boolean;
  readonly allowDirty: boolean;
  readonly baseGenerator: string | undefined;
  readonly template: string | undefined;
  readonly vars: readonly string[];
  readonly trust: boolean;
  readonly yes: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

/** `argv` is what follows the word `update`. */
export function parseUpdateArgv(argv: readonly string[]): UpdateArgs {
  const { folder, given, controls } = parseFlags(argv, UPDATE_FLAGS);
  const text = (flag: string) => controls[flag] as string | undefined;
  const on = (flag: string) => controls[flag] === true;
  return Object.freeze({
    directory: folder,
    given,
    to: text('to'),
    check: on('check'),
    dryRun: on('dry-run'),
    allowDirty: on('allow-dirty'),
    baseGenerator: text('base-generator'),
    template: text('template'),
    vars: (controls.var as string[] | undefined) ?? [],
    trust: on('trust'),
    yes: on('yes'),
    help: on('help'),
    version: on('version'),
  });
}

export function updateHelpText(version: string): string {
  return [
    `create-secure-express ${version}`,
    "Bring a project made by create-secure-express up to this version and its team template's newest commit,",
    'keeping its own changes: files you never changed take the new version, files the template never changed',
    'stay yours, and the rest are merged three-way, with conflict markers where both changed the same lines.',
    '',
    'Usage: create-secure-express update [project folder] [options]',
    '       npm create secure-express@latest -- update [project folder] [options]',
    '',
    'Update options:',
    table(controlRows(UPDATE_FLAGS)),
    '',
    'Answers (to change one during the update; answers a team template locks stay locked):',
    table(answerRows()),
    '',
    'The project folder defaults to the current one; it must hold .secure-express.json.',
    `Each fetch of the team template gets ${DEFAULT_GIT_TIMEOUT_SECONDS} s; ${GIT_TIMEOUT_VARIABLE}=<seconds> changes that.`,
    'Exit codes: 0 updated (or nothing to do), 1 updated with conflicts to resolve (or, with --check, an update',
    'is available), 2 refused (a usage error, uncommitted changes), 130 cancelled.',
    '',
  ].join('\n');
}
