import { CancelledError, UsageError } from '../errors.ts';
import { inspectTarget, type TargetState } from '../render/target.ts';
import type { Prompter } from '../ui/prompter.ts';
import { projectLocation } from './project-location.ts';

export const DEFAULT_FOLDER = 'my-api';

/**
 * The folder, asked on a terminal, suggesting a free one. A non-empty one is offered as --force would
 * take it, never refused flat: a flag is no help at a prompt.
 */
export async function askFolder(prompter: Prompter, cwd: string, force: boolean): Promise<{ directory: string; force: boolean }> {
  /** The folder's state, or why it can never be the target (a file). */
  const inspect = (folder: string): TargetState | string => {
    try {
      return inspectTarget(projectLocation(folder, cwd).path, { force: true });
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
  };
  const isFree = (folder: string) => {
    const state = inspect(folder);
    return typeof state !== 'string' && state.empty;
  };
  let suggested = DEFAULT_FOLDER;
  for (let n = 2; !isFree(suggested); n++) suggested = `${DEFAULT_FOLDER}-${n}`;
  for (;;) {
    const directory = await prompter.askFolder(suggested, (folder) => {
      const state = inspect(folder);
      return typeof state === 'string' ? state : true;
    });
    if (force || isFree(directory)) return { directory, force };
    if (await prompter.confirm(addToQuestion(directory, inspect(directory)), false)) return { directory, force: true };
  }
}

/** The offer for a non-empty folder; one this generator made is pointed at `update` first. */
const addToQuestion = (directory: string, state: TargetState | string) =>
  typeof state !== 'string' && state.generated
    ? `${directory} holds a project made by create-secure-express: \`create-secure-express update\` in it brings it up to date. Generate over it anyway? (nothing is deleted; files it replaces are listed first)`
    : `${directory} is not empty. Add the project to it? (nothing is deleted; files it replaces are listed first)`;

/** A folder named on the command line: when it is not empty, a terminal may still take it, as --force would. */
export async function confirmGivenFolder(prompter: Prompter, directory: string, cwd: string): Promise<boolean> {
  const state = inspectTarget(projectLocation(directory, cwd).path, { force: true });
  if (state.empty) return false;
  if (await prompter.confirm(addToQuestion(directory, state), false)) return true;
  throw new CancelledError(`${directory} is not empty; nothing was written (choose another folder, or pass --force)`);
}
