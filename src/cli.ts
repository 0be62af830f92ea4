import { basename, relative, resolve } from 'node:path';
import { helpText } from './cli/help.ts';
import { parseArgv, type ParsedArgv } from './cli/parse-argv.ts';
import { CancelledError, CliError, UsageError } from './errors.ts';
import { planProject } from './generate.ts';
import type { Answers } from './options/answers.ts';
import { readPreset } from './options/answers-file.ts';
import { OPTIONS, formatValue } from './options/registry.ts';
import { flagSource, resolveAnswers, type AnswerSource } from './options/resolve.ts';
import { PACKAGE, TEMPLATES_ROOT } from './package-info.ts';
import type { PlannedFile } from './render/plan.ts';
import { makeStagingFolder, placeProject } from './render/place.ts';
import { renderPlan } from './render/render.ts';
import { filesToReplace, inspectTarget } from './render/target.ts';
import { cleanUp } from './run/cleanup.ts';
import { createOutput, type Output } from './ui/output.ts';
import type { Prompter } from './ui/prompter.ts';

const DEFAULT_FOLDER = 'my-api';

export interface Io {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

const canPrompt = (io: Io, args: ParsedArgv) =>
  !args.yes && io.stdin.isTTY === true && io.stdout.isTTY === true && !io.env.CI;

function summary(out: Output, answers: Readonly<Answers>, target: string): string {
  const rows = OPTIONS.map((spec) => `  ${spec.flag.padEnd(18)}${formatValue(answers[spec.key])}`);
  return [`${out.bold('Project')} ${target}`, ...rows].join('\n');
}

function fileList(plan: readonly PlannedFile[], replaced: readonly string[]): string {
  const replacing = new Set(replaced);
  return plan.map((file) => `  ${file.target}${replacing.has(file.target) ? '  (replaces an existing file)' : ''}`).join('\n');
}

/** The story of one run, step by step. Returns the exit code; typed errors are mapped in `main`. */
async function run(io: Io, out: Output): Promise<number> {
  // 1. Flags. Help and version need nothing else.
  const args = parseArgv(io.argv);
  if (args.help) return out.info(helpText(PACKAGE.version)), 0;
  if (args.version) return out.info(PACKAGE.version), 0;

  // 2. Where to write. Checked before any question, so nobody answers ten prompts to be refused.
  const interactive = canPrompt(io, args);
  const prompter: Prompter | undefined = interactive ? (await import('./ui/prompter.ts')).createPrompter(out) : undefined;
  const folderMissing = args.directory === undefined && !interactive && !args.yes;
  const directory = args.directory ?? (await prompter?.askFolder(DEFAULT_FOLDER, () => true)) ?? DEFAULT_FOLDER;
  const targetPath = resolve(io.cwd, directory);
  const target = await inspectTarget(targetPath, { force: args.force });

  // 3. Answers: flags, then a preset, then prompts or defaults.
  const sources: AnswerSource[] = [flagSource(args.given)];
  if (args.preset) sources.push(await readPreset(resolve(io.cwd, args.preset)));
  let answers: Readonly<Answers>;
  try {
    answers = await resolveAnswers({
      sources,
      folder: basename(targetPath),
      userAgent: io.env.npm_config_user_agent,
      asker: prompter,
      acceptDefaults: args.yes,
    });
  } catch (error) {
    if (folderMissing && error instanceof UsageError) {
      throw new UsageError(error.message.replace('give ', 'give a target folder, '));
    }
    throw error;
  }
  if (folderMissing) throw new UsageError('no terminal to ask on: give a target folder, or pass --yes to accept the defaults');

  // 4. The plan: every file, before anything is written.
  const provenance = { generator: { name: PACKAGE.name, version: PACKAGE.version }, template: { source: 'built-in' } };
  const plan = await planProject({ answers, provenance, templatesRoot: TEMPLATES_ROOT });
  const replaced = filesToReplace(target, plan);
  const shownTarget = relative(io.cwd, targetPath) || '.';

  if (args.dryRun) {
    out.info(summary(out, answers, shownTarget));
    out.info(`\n${out.bold('Files')} (dry run: nothing was written)\n${fileList(plan, replaced)}`);
    return 0;
  }
  if (prompter) {
    out.info(`\n${summary(out, answers, shownTarget)}`);
    if (replaced.length > 0) out.info(`\n${out.bold('These files will be replaced:')}\n${fileList(plan.filter((f) => replaced.includes(f.target)), [])}`);
    if (!(await prompter.confirm('Create the project?'))) throw new CancelledError('cancelled; nothing was written');
  } else if (replaced.length > 0) {
    out.warn(`--force: replacing ${replaced.length} existing file(s): ${replaced.join(', ')}`);
  }

  // 5. Render into a staging folder, then move into place.
  const staging = await makeStagingFolder();
  await renderPlan(plan, answers, staging);
  await placeProject(staging, target, plan);
  out.success(`Created ${shownTarget} (${plan.length} files)`);

  // 6. Install, then commit, so the lockfile is part of the first commit.
  const installed = answers.install ? await (await import('./run/install.ts')).installDependencies(targetPath, answers.pm, out) : false;
  if (answers.git) await (await import('./run/git.ts')).initRepository(targetPath, out, PACKAGE.name);

  // 7. Next steps.
  const steps = [
    shownTarget !== '.' ? `cd ${shownTarget}` : undefined,
    installed ? undefined : `${answers.pm} install`,
    `${answers.pm} run dev`,
    `${answers.pm} test`,
  ].filter(Boolean);
  out.info(`\nNext steps:\n${steps.map((step) => `  ${out.cyan(String(step))}`).join('\n')}`);
  return answers.install && !installed ? 1 : 0;
}

/** Entry point: runs once, maps every error to one line and an exit code, and cleans up on the way out. */
export async function main(io: Io): Promise<number> {
  const out = createOutput(io.stdout, io.stderr, io.env);
  const debug = io.argv.includes('--debug');
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    out.error(`${signal === 'SIGINT' ? 'cancelled' : `stopped by ${signal}`}; removed what this run created`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(io, out);
  } catch (error) {
    cleanUp();
    if (error instanceof CliError) {
      out.error(error.message);
      if (debug && error.cause) out.info(String((error.cause as Error).stack ?? error.cause));
      return error.exitCode;
    }
    out.error(`unexpected failure: ${(error as Error).message ?? String(error)}${debug ? '' : ' (run with --debug for details)'}`);
    if (debug) out.info(String((error as Error).stack));
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
