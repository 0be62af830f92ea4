import inquirer from 'inquirer';
import { CancelledError, InvalidValue } from '../errors.ts';
import { formatValue, type OptionSpec } from '../options/registry.ts';
import type { Asker } from '../options/resolve.ts';
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

/** inquirer rejects with ExitPromptError on Ctrl-C; that is a cancellation, not a crash. */
async function prompt<T>(question: Record<string, unknown>): Promise<T> {
  try {
    const answers = (await inquirer.prompt([{ ...question, name: 'value' }] as never)) as { value: T };
    return answers.value;
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new CancelledError('cancelled; nothing was written');
    throw error;
  }
}

export interface Prompter extends Asker {
  askFolder(suggested: string, validate: (value: string) => true | string): Promise<string>;
  confirm(message: string, suggested?: boolean): Promise<boolean>;
}

export function createPrompter(out: Output): Prompter {
  return {
    askFolder: (suggested, validate) =>
      prompt<string>({
        type: 'input',
        message: 'Project folder',
        default: suggested,
        filter: (value: string) => value.trim(),
        validate: (value: string) => (value.trim() === '' ? 'a folder name, or . for the current folder' : validate(value.trim())),
      }),

    confirm: (message, suggested = true) => prompt<boolean>({ type: 'confirm', message, default: suggested }),

    async wantsToAdjust(specs: readonly OptionSpec[], suggested) {
      const limits = specs.map((spec) => `${spec.flag} ${formatValue(suggested[spec.key])}`).join(', ');
      return prompt<boolean>({ type: 'confirm', message: `Adjust the limits (${limits})?`, default: false });
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
      const raw =
        question.type === 'confirm'
          ? await prompt<boolean>({ ...base, type: 'confirm', default: suggested })
          : question.type === 'select'
            ? await prompt<string>({ ...base, type: 'select', choices: question.choices?.filter((choice) => allowed(choice) === true), default: String(suggested) })
            : await prompt<string>({ ...base, type: 'input', default: formatValue(suggested) === '(none)' ? '' : formatValue(suggested) });
      return spec.parse(raw);
    },
  };
}
