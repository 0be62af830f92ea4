import { DEFAULT_GIT_TIMEOUT_SECONDS, GIT_TIMEOUT_VARIABLE } from '../team/git-timeout.ts';

/**
 * Flags that steer a run rather than answer a question about the project. They are not written to
 * `.secure-express.json`. Listed in `--help` after the answer options, in this order.
 */
export interface ControlFlag {
  readonly flag: string;
  readonly short?: string;
  readonly kind: 'value' | 'boolean';
  readonly placeholder?: string;
  readonly multiple?: boolean;
  readonly help: string;
}

export const CONTROL_FLAGS = Object.freeze([
  {
    flag: 'template',
    kind: 'value',
    placeholder: '<dir|git-url>',
    help: `a team template repository layered over the built-in templates (git gets ${DEFAULT_GIT_TIMEOUT_SECONDS} s to fetch it; ${GIT_TIMEOUT_VARIABLE}=<seconds> changes that)`,
  },
  { flag: 'var', kind: 'value', placeholder: '<name=value>', multiple: true, help: "answer a team template's extra question (repeatable)" },
  { flag: 'trust', kind: 'boolean', help: 'use the team template named by --template (never one a file names) without asking, though it has code: a plopfile, package-manager settings' },
  { flag: 'preset', kind: 'value', placeholder: '<file.json>', help: "answers from a file, such as another project's .secure-express.json" },
  { flag: 'force', kind: 'boolean', help: 'allow a non-empty target folder (no file is deleted; replaced files are listed first)' },
  { flag: 'dry-run', kind: 'boolean', help: 'print the answers and the files that would be written, write nothing' },
  { flag: 'yes', short: 'y', kind: 'boolean', help: 'never prompt; defaults for everything not given' },
  { flag: 'debug', kind: 'boolean', help: 'show stack traces of unexpected errors' },
  { flag: 'help', short: 'h', kind: 'boolean', help: 'show this help' },
  { flag: 'version', short: 'v', kind: 'boolean', help: 'print the version' },
] as const satisfies readonly ControlFlag[]);

export type ControlFlagName = (typeof CONTROL_FLAGS)[number]['flag'];
