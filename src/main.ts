import { relative, resolve } from 'node:path';
import { DEFAULT_FOLDER, askFolder, confirmGivenFolder } from './cli/ask-folder.ts';
import { startAnswers } from './cli/answers.ts';
import { helpText } from './cli/help.ts';
import { loadTemplate } from './cli/load-template.ts';
import { parseArgv, type ParsedArgv } from './cli/parse-argv.ts';
import { projectLocation, type ProjectLocation } from './cli/project-location.ts';
import { offerToStart, type Outcome } from './cli/start-now.ts';
import { CancelledError, CliError, UsageError } from './errors.ts';
import { planProject } from './generate.ts';
import type { Io } from './io.ts';
import { readPreset } from './options/answers-file.ts';
import type { Answers } from './options/answers.ts';
import { nodeFloorAbove } from './options/node-target.ts';
import { OPTIONS, cautionsFor } from './options/registry.ts';
import { flagSource } from './options/resolve.ts';
import { PACKAGE, TEMPLATES_ROOT } from './package-info.ts';
import type { PlannedFile } from './render/plan.ts';
import { makeStagingFolder, placeProject } from './render/place.ts';
import { filesToReplace, inspectTarget, refuseLinks, type TargetState } from './render/target.ts';
import { cleanUp, stoppedNote, whenStoppedNow } from './run/cleanup.ts';
import { varSource } from './team/questions.ts';
import { closingMessage, shellWord } from './ui/closing.ts';
import { createOutput, type Output } from './ui/output.ts';
import type { Prompter } from './ui/prompter.ts';
import { summary } from './ui/summary.ts';

export { standardOutput } from './ui/standard-output.ts';

/** Why nothing can be asked in this run, or undefined when the user can be asked. */
function whyNotAsking(io: Io, args: ParsedArgv): string | undefined {
  if (args.yes) return '--yes was given';
  if (io.stdin.isTTY !== true || io.stdout.isTTY !== true) return 'no terminal to ask on';
  if (io.env.CI) return 'CI is set, so nothing is asked (unset it to answer here)';
  return undefined;
}

function fileList(plan: readonly PlannedFile[], replaced: readonly string[]): string {
  const replacing = new Set(replaced);
  return plan.map((file) => `  ${file.target}${replacing.has(file.target) ? '  (replaces an existing file)' : ''}`).join('\n');
}

interface Decided {
  readonly location: ProjectLocation;
  readonly target: TargetState;
  readonly shownTarget: string;
  readonly answers: Readonly<Answers>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly plan: readonly PlannedFile[];
  readonly plopfile: string | undefined;
}

/** Steps 2 to 5: everything decided, nothing written. Undefined for a dry run or a Cancel, which end here. */
async function decide(io: Io, args: ParsedArgv, out: Output, prompter: Prompter | undefined, notAsking: string | undefined): Promise<Decided | undefined> {
  // 2. Where to write. Checked before any question, so nobody answers ten prompts to be refused.
  const chosen = !prompter
    ? { directory: args.directory, force: args.force }
    : args.directory === undefined
      ? await askFolder(prompter, io.cwd, args.force)
      : { directory: args.directory, force: args.force || (await confirmGivenFolder(prompter, args.directory, io.cwd)) };
  const location = projectLocation(chosen.directory ?? DEFAULT_FOLDER, io.cwd);
  const target = inspectTarget(location.path, { force: chosen.force });

  // 3. A team template, if any: fetched into a private folder, its plopfile run only when trusted.
  const preset = args.preset ? readPreset(resolve(io.cwd, args.preset)) : undefined;
  const team = await loadTemplate(args, preset, io.cwd, out, prompter);
  if (!team && args.vars.length > 0) throw new UsageError('--var answers a team template\'s question: give --template too');

  // 4. Answers: locks, then what was typed, flags, --var and the preset, then the few questions asked up
  //    front, then the template's defaults and the built-in ones.
  const given = [flagSource(args.given), team && varSource(args.vars, team.template.manifest.questions), preset?.answers, preset?.vars].filter((source) => !!source);
  const specs = [...OPTIONS, ...(team?.template.questions ?? [])];
  const session = await startAnswers(
    {
      specs,
      given,
      suggestions: team?.template.defaults,
      locks: team?.template.locks,
      prompter,
      folder: location.name,
      userAgent: io.env.npm_config_user_agent,
      acceptDefaults: args.yes,
      whyNotAsking: notAsking,
      alsoMissing: args.directory === undefined && !prompter && !args.yes ? ['a target folder'] : [],
    },
    out,
  );
  const nameGiven = [...given, team?.template.defaults].some((source) => source?.values.name !== undefined);
  if (!prompter && !nameGiven && session.current().answers.name !== location.name) {
    out.info(`package name ${session.current().answers.name}: "${location.name}" is not a valid npm package name (--name sets another)`);
  }

  // 5. The plan, shown before anything is written; on a terminal, changed until the user says create.
  const provenance = { generator: { name: PACKAGE.name, version: PACKAGE.version }, template: team?.provenance ?? { source: 'built-in' } };
  const shownTarget = relative(io.cwd, location.path) || '.';
  for (;;) {
    const { answers, vars, values, origins } = session.current();
    const plan = planProject({
      answers,
      vars,
      provenance,
      templatesRoot: TEMPLATES_ROOT,
      extraLayers: team?.template.layer ? [team.template.layer] : [],
      remove: team?.template.manifest.remove,
    });
    refuseLinks(target, plan);
    const replaced = filesToReplace(target, plan);
    const cautions = cautionsFor(answers, { node: process.versions.node });
    const shown = summary(out, {
      target: shownTarget,
      specs,
      values,
      origins,
      template: team && { name: team.template.manifest.name, locks: team.template.locks },
      cautions,
    });
    if (args.dryRun) {
      out.info(`${shown}\n\n${out.bold('Files')} (dry run: nothing was written)\n${fileList(plan, replaced)}`);
      return undefined;
    }
    const decided = { location, target, shownTarget, answers, vars, plan, plopfile: team?.template.plopfile };
    if (!prompter) {
      for (const caution of cautions) out.warn(caution);
      if (replaced.length > 0) out.warn(`--force: replacing ${replaced.length} existing file(s): ${replaced.join(', ')}`);
      return decided;
    }
    out.info(`\n${shown}`);
    if (replaced.length > 0) out.info(`\n${out.bold('These files will be replaced:')}\n${replaced.map((file) => `  ${file}`).join('\n')}`);
    const step = await prompter.nextStep();
    if (step === 'create') return decided;
    // Choosing Cancel is an answer, not a failure (Ctrl-C still is: 130).
    if (step === 'cancel') return out.info('Cancelled; nothing was written.'), undefined;
    const spec = await prompter.pickOption(session.changeable, values);
    if (spec) await session.change(spec);
  }
}

/** The story of one run, step by step. Returns the exit code; typed errors are mapped in `main`. */
async function run(io: Io, out: Output): Promise<Outcome> {
  // 1. Flags. Help and version need nothing else.
  const args = parseArgv(io.argv);
  if (args.help) return out.info(helpText(PACKAGE.version)), 0;
  if (args.version) return out.info(PACKAGE.version), 0;
  out.info(`${out.bold('create-secure-express')} ${PACKAGE.version} ${out.dim('· a hardened Express 5 + TypeScript JSON API')}`);

  // 2-5. Decide everything (the prompts, if any, load only on a terminal and end before writing).
  const notAsking = whyNotAsking(io, args);
  const prompter = notAsking ? undefined : (await import('./ui/prompter.ts')).createPrompter(out, io.stdin);
  let decided;
  try {
    decided = await decide(io, args, out, prompter, notAsking);
  } finally {
    prompter?.close();
  }
  if (!decided) return 0;
  const { location, target, shownTarget, answers, vars, plan } = decided;

  // 6. Render into a staging folder, then move into place. (The renderer is loaded here: --help and errors stay fast.)
  const { renderPlan } = await import('./render/render.ts');
  const staging = makeStagingFolder(location.path);
  await renderPlan(plan, { ...answers, ...vars }, staging.path, { templatesRoot: TEMPLATES_ROOT, plopfile: decided.plopfile });
  await placeProject(staging, target, plan);
  out.success(`Created ${shownTarget} (${plan.length} files)`);

  // 7. Install, then commit, so the lockfile is part of the first commit. Stopped midway, the project
  //    stays (it is whole), and the message says what is left to do.
  const left = (install: boolean) => {
    const todo = [
      install && answers.install ? (['its dependencies', `${answers.pm} install`] as const) : undefined,
      answers.git ? (['a git repository', 'git init && git add -A && git commit -m "Initial commit"'] as const) : undefined,
    ].filter((step) => step !== undefined);
    if (todo.length === 0) return undefined;
    const commands = [...(shownTarget === '.' ? [] : [`cd ${shellWord(shownTarget)}`]), ...todo.map(([, command]) => command)];
    return `${shownTarget} is in place, without ${todo.map(([what]) => what).join(' and ')}; to finish: ${commands.join(' && ')}`;
  };
  whenStoppedNow(left(true));
  const installed = answers.install ? await (await import('./run/install.ts')).installDependencies(location.path, answers.pm, out) : false;
  whenStoppedNow(left(false));
  if (answers.git) await (await import('./run/git.ts')).initRepository(location.path, out, PACKAGE.name);
  whenStoppedNow(undefined);

  // 8. What was made, and what to do next.
  const oldNode = nodeFloorAbove(answers.node, process.versions.node) ? process.versions.node : undefined;
  out.info(closingMessage(out, { target: shownTarget, answers, installed, oldNode }));
  if (answers.install && !installed) return 1;

  // 9. On a terminal, with a Node that runs the project: offer to start it now, as create-vite does.
  if (notAsking || oldNode) return 0;
  return offerToStart({ io, out, answers, path: location.path, shownTarget, installed });
}

/** Entry point: runs once, maps every error to one line and an exit code, and cleans up on the way out. */
export async function main(io: Io): Promise<number> {
  const out = createOutput(io.stdout, () => io.stderr, io.env);
  const debug = io.argv.includes('--debug');
  const onSignal = (signal: NodeJS.Signals) => {
    const unfinished = stoppedNote();
    const removed = cleanUp();
    const what = signal === 'SIGINT' ? 'cancelled' : `stopped by ${signal}`;
    out.error(unfinished ? `${what}: ${unfinished}` : `${what}${removed ? '; removed what this run created' : ''}`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let outcome: Outcome;
  try {
    // `update` is a command of its own, in its own chunk: a generation never loads it.
    if (io.argv[0] === 'update') return await (await import('./update/update.ts')).runUpdate(io, out);
    // `check <url>` probes a running API: a command of its own, in a chunk that loads none of the scaffolding.
    if (io.argv[0] === 'check') return await (await import('./check/check.ts')).runCheck(io, out);
    outcome = await run(io, out);
  } catch (error) {
    if (error instanceof CliError) {
      const unfinished = error instanceof CancelledError ? stoppedNote() : undefined;
      out.error(unfinished ? `cancelled: ${unfinished}` : error.message);
      if (debug && error.cause) out.info(String((error.cause as Error).stack ?? error.cause));
      return error.exitCode;
    }
    out.error(`unexpected failure: ${(error as Error).message ?? String(error)}${debug ? '' : ' (run with --debug for details)'}`);
    if (debug) out.info(String((error as Error).stack));
    return 1;
  } finally {
    // On failure: what this run created. On success: only temporary folders (a fetched template).
    cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return typeof outcome === 'number' ? outcome : await outcome();
}
