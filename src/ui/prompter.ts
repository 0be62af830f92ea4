import inquirer from 'inquirer';
import { CancelledError, InvalidValue } from '../errors.ts';
import { formatValue, labelOf, type OptionSpec } from '../options/registry.ts';
import type { Asker } from '../options/resolve.ts';
import { openKeyboard } from './keyboard.ts';
import type { Output } from './output.ts';

/**
 * The interactive side: inquirer prompts for what flags, presets and team defaults left open. Loaded
 * only when there is a terminal to ask on. Every answer is checked with the option's own parser, the
 * same function that checks the flag.
 */
const validateWith = (check: (value: unknown) => true | string) => (value: unknown) => {
  try {
    return check(value);
  } catch (error) {
    if (error instanceof InvalidValue) return error.message;
    throw error;
  }
};

export type NextStep = 'create' | 'change' | 'cancel';

export interface Prompter extends Asker {
  /** The target folder; `check` refuses what can never be one (a file), with its reason. */
  askFolder(suggested: string, check: (folder: string) => true | string): Promise<string>;
  confirm(message: string, suggested?: boolean): Promise<boolean>;
  /** After the summary: create the project, change an answer, or stop. */
  nextStep(): Promise<NextStep>;
  /** Which answer to change, each shown with its current value; undefined to go back. */
  pickOption(specs: readonly OptionSpec[], values: Readonly<Record<string, unknown>>): Promise<OptionSpec | undefined>;
  /** Gives the terminal back; called once the questions are over, whatever happened. */
  close(): void;
}

/** `label  what it means`, the labels padded to one column. */
function describedChoices(choices: readonly string[], describe: ((choice: string) => string) | undefined, out: Output) {
  const width = Math.max(...choices.map((choice) => choice.length));
  return choices.map((choice) => ({
    value: choice,
    name: describe ? `${choice.padEnd(width)}  ${out.dim(describe(choice))}` : choice,
    short: choice,
  }));
}

export function createPrompter(out: Output, stdin: NodeJS.ReadStream): Prompter {
  const keyboard = openKeyboard(stdin);
  const promptModule = inquirer.createPromptModule({ input: keyboard.input } as never);

  /** inquirer rejects with ExitPromptError on Ctrl-C; that is a cancellation, not a crash. */
  async function prompt<T>(question: Record<string, unknown>): Promise<T> {
    try {
      const answers = (await promptModule([{ ...question, name: 'value' }] as never)) as { value: T };
      return answers.value;
    } catch (error) {
      if ((error as Error).name === 'ExitPromptError') throw new CancelledError('cancelled; nothing was written');
      throw error;
    }
  }

  return {
    askFolder: (suggested, check) =>
      prompt<string>({
        type: 'input',
        message: 'Project folder',
        default: suggested,
        filter: (value: string) => value.trim(),
        validate: (value: string) => (value.trim() === '' ? 'a folder name, or . for the current folder' : check(value.trim())),
      }),

    confirm: (message, suggested = true) => prompt<boolean>({ type: 'confirm', message, default: suggested }),

    nextStep: () =>
      prompt<NextStep>({
        type: 'select',
        message: 'Create the project?',
        choices: [
          { value: 'create', name: 'Create it' },
          { value: 'change', name: 'Change something' },
          { value: 'cancel', name: 'Cancel' },
        ],
      }),

    async pickOption(specs, values) {
      const width = Math.max(...specs.map((spec) => labelOf(spec).length));
      const key = await prompt<string>({
        type: 'select',
        message: 'Change which answer?',
        pageSize: specs.length + 1,
        loop: false,
        choices: [
          ...specs.map((spec) => ({ value: spec.key, name: `${labelOf(spec).padEnd(width)}  ${out.dim(formatValue(values[spec.key]))}`, short: labelOf(spec) })),
          { value: '', name: 'Nothing: back to the summary', short: 'nothing' },
        ],
      });
      return specs.find((spec) => spec.key === key);
    },

    async ask(spec, suggested, answers) {
      const question = spec.prompt;
      if (!question) return suggested;
      if (question.why) out.info(out.dim(`  ${question.why}`));
      const allowed = (value: unknown): true | string => {
        const parsed = spec.parse(value);
        return spec.conflict?.(parsed as never, answers) ?? true;
      };
      const base = { message: question.message, validate: validateWith(allowed) };
      const shown = suggested === undefined ? undefined : formatValue(suggested) === '(none)' ? '' : formatValue(suggested);
      const raw =
        question.type === 'confirm'
          ? await prompt<boolean>({ ...base, type: 'confirm', default: suggested })
          : question.type === 'select'
            ? await prompt<string>({
                ...base,
                type: 'select',
                choices: describedChoices(question.choices?.filter((choice) => allowed(choice) === true) ?? [], question.describeChoice, out),
                default: shown,
              })
            : await prompt<string>({ ...base, type: 'input', default: shown });
      return spec.parse(raw);
    },

    close: () => keyboard.close(),
  };
}
