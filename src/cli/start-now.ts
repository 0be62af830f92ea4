import type { Io } from '../io.ts';
import type { Answers } from '../options/answers.ts';
import { whenStoppedNow } from '../run/cleanup.ts';
import { shellWord } from '../ui/closing.ts';
import type { Output } from '../ui/output.ts';

/** An exit code, or the dev server to start once the run has let go of its signal handlers. */
export type Outcome = number | (() => Promise<number>);

export interface StartNowInput {
  readonly io: Io;
  readonly out: Output;
  readonly answers: Readonly<Answers>;
  /** The project folder, and as the user would type it. */
  readonly path: string;
  readonly shownTarget: string;
  readonly installed: boolean;
}

/**
 * The last step of a run on a terminal whose Node can run the project: "start it now?", as create-vite
 * asks, installing first if that was not done. A PostgreSQL project needs DATABASE_URL first, so it is
 * offered only when that is already set.
 */
export async function offerToStart({ io, out, answers, path, shownTarget, installed }: StartNowInput): Promise<Outcome> {
  if (answers.db === 'postgres' && !io.env.DATABASE_URL) return 0;
  const { pm } = answers;
  const cd = shownTarget === '.' ? '' : `cd ${shellWord(shownTarget)} && `;
  // Ctrl-C at the question or during the install: the project stays, and this says how to go on.
  whenStoppedNow(`${shownTarget} is in place; to start it: ${cd}${installed ? '' : `${pm} install && `}${pm} run dev`);
  const prompter = (await import('../ui/prompter.ts')).createPrompter(out, io.stdin);
  let startNow;
  try {
    startNow = await prompter.confirm(installed ? `Start the dev server now? (${pm} run dev)` : `Install with ${pm} and start the dev server now?`, true);
  } finally {
    prompter.close();
  }
  if (startNow && !installed && !(await (await import('../run/install.ts')).installDependencies(path, pm, out))) return 1;
  whenStoppedNow(undefined);
  if (!startNow) return 0;
  const { startDevServer } = await import('../run/start-dev.ts');
  return () => startDevServer(path, pm);
}
