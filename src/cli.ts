import { basename, relative, resolve } from 'node:path';
import { helpText } from './cli/help.ts';
import { parseArgv, type ParsedArgv } from './cli/parse-argv.ts';
import { CancelledError, CliError, UsageError } from './errors.ts';
import { planProject } from './generate.ts';
import { readPreset, type Preset, type TemplateProvenance } from './options/answers-file.ts';
import { OPTIONS, formatValue } from './options/registry.ts';
import { flagSource, resolveAnswers, resolveValues } from './options/resolve.ts';
import type { Answers } from './options/answers.ts';
import { PACKAGE, TEMPLATES_ROOT } from './package-info.ts';
import type { PlannedFile } from './render/plan.ts';
import { makeStagingFolder, placeProject } from './render/place.ts';
import { filesToReplace, inspectTarget } from './render/target.ts';
import { cleanUp } from './run/cleanup.ts';
import { varSource } from './team/questions.ts';
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

function summary(out: Output, answers: Readonly<Answers>, vars: Readonly<Record<string, unknown>>, target: string): string {
  const rows = [
    ...OPTIONS.map((spec) => `  ${spec.flag.padEnd(18)}${formatValue(answers[spec.key])}`),
    ...Object.entries(vars).map(([name, value]) => `  ${name.padEnd(18)}${formatValue(value)}`),
  ];
  return [`${out.bold('Project')} ${target}`, ...rows].join('\n');
}

/**
 * The team template named by --template, or by the preset when reproducing a project. A plopfile is
 * code from someone else: it runs only with --trust, or after a yes on a terminal naming the source.
 */
async function loadTemplate(args: ParsedArgv, preset: Preset | undefined, cwd: string, out: Output, prompter: Prompter | undefined) {
  const recorded = preset?.template?.source !== 'built-in' ? preset?.template : undefined;
  const spec = args.template ?? (recorded ? `${recorded.source}${recorded.commit ? `#${recorded.commit}` : ''}` : undefined);
  if (!spec) return undefined;
  const { loadTeamTemplate } = await import('./team/team-template.ts');
  const template = await loadTeamTemplate(spec, cwd, PACKAGE.version);
  const { fetched, manifest, plopfile } = template;
  if (plopfile && !args.trust) {
    const where = fetched.commit ? `${fetched.source} at ${fetched.commit.slice(0, 12)}` : fetched.source;
    if (!prompter) throw new UsageError(`--template ${spec} has a plopfile (code that would run here): pass --trust to run it`);
    out.warn(`template ${manifest.name} from ${where} has a plopfile: code that runs on this machine with your permissions`);
    if (!(await prompter.confirm(`Run the plopfile of ${where}?`, false))) throw new CancelledError('the template\'s plopfile was not trusted; nothing was written');
  }
  const ref = args.template ? fetched.ref : (recorded?.ref ?? fetched.ref);
  const provenance: TemplateProvenance = {
    source: fetched.source,
    name: manifest.name,
    ...(ref && ref !== fetched.commit ? { ref } : {}),
    ...(fetched.commit ? { commit: fetched.commit } : {}),
  };
  return { template, provenance };
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
  const usableFolder = (folder: string): true | string => {
    try {
      inspectTarget(resolve(io.cwd, folder), { force: args.force });
      return true;
    } catch (error) {
      return error instanceof UsageError ? error.message : String(error);
    }
  };
  const directory = args.directory ?? (await prompter?.askFolder(DEFAULT_FOLDER, usableFolder)) ?? DEFAULT_FOLDER;
  const targetPath = resolve(io.cwd, directory);
  const target = inspectTarget(targetPath, { force: args.force });

  // 3. A team template, if any: fetched into a private folder, its plopfile run only when trusted.
  const preset = args.preset ? readPreset(resolve(io.cwd, args.preset)) : undefined;
  const team = await loadTemplate(args, preset, io.cwd, out, prompter);
  if (!team && args.vars.length > 0) throw new UsageError('--var answers a team template\'s question: give --template too');

  // 4. Answers: locks, then flags, then the preset, then team defaults, then prompts or defaults.
  const resolveInput = {
    folder: basename(targetPath),
    userAgent: io.env.npm_config_user_agent,
    asker: prompter,
    acceptDefaults: args.yes,
    alsoMissing: folderMissing ? ['a target folder'] : [],
  };
  const answers = await resolveAnswers({
    ...resolveInput,
    sources: [flagSource(args.given), preset?.answers, team?.template.defaults].filter((source) => source !== undefined),
    locks: team?.template.locks,
  });
  const vars = team
    ? await resolveValues(team.template.questions, {
        ...resolveInput,
        sources: [varSource(args.vars, team.template.manifest.questions), preset?.vars].filter((source) => source !== undefined),
      })
    : {};

  // 5. The plan: every file, before anything is written.
  const provenance = { generator: { name: PACKAGE.name, version: PACKAGE.version }, template: team?.provenance ?? { source: 'built-in' } };
  const plan = planProject({
    answers,
    vars,
    provenance,
    templatesRoot: TEMPLATES_ROOT,
    extraLayers: team?.template.layer ? [team.template.layer] : [],
    remove: team?.template.manifest.remove,
  });
  const replaced = filesToReplace(target, plan);
  const shownTarget = relative(io.cwd, targetPath) || '.';

  if (args.dryRun) {
    out.info(summary(out, answers, vars, shownTarget));
    out.info(`\n${out.bold('Files')} (dry run: nothing was written)\n${fileList(plan, replaced)}`);
    return 0;
  }
  if (prompter) {
    out.info(`\n${summary(out, answers, vars, shownTarget)}`);
    if (replaced.length > 0) out.info(`\n${out.bold('These files will be replaced:')}\n${replaced.map((file) => `  ${file}`).join('\n')}`);
    if (!(await prompter.confirm('Create the project?'))) throw new CancelledError('cancelled; nothing was written');
  } else if (replaced.length > 0) {
    out.warn(`--force: replacing ${replaced.length} existing file(s): ${replaced.join(', ')}`);
  }

  // 6. Render into a staging folder, then move into place. (The renderer is loaded here: --help and errors stay fast.)
  const { renderPlan } = await import('./render/render.ts');
  const staging = makeStagingFolder(targetPath);
  await renderPlan(plan, { ...answers, ...vars }, staging.path, { templatesRoot: TEMPLATES_ROOT, plopfile: team?.template.plopfile });
  await placeProject(staging, target, plan);
  out.success(`Created ${shownTarget} (${plan.length} files)`);

  // 7. Install, then commit, so the lockfile is part of the first commit.
  const installed = answers.install ? await (await import('./run/install.ts')).installDependencies(targetPath, answers.pm, out) : false;
  if (answers.git) await (await import('./run/git.ts')).initRepository(targetPath, out, PACKAGE.name);

  // 8. Next steps.
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
    const removed = cleanUp();
    out.error(`${signal === 'SIGINT' ? 'cancelled' : `stopped by ${signal}`}${removed ? '; removed what this run created' : ''}`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // `update` is a command of its own, in its own chunk: a generation never loads it.
    if (io.argv[0] === 'update') return await (await import('./update/update.ts')).runUpdate(io, out);
    // `check <url>` probes a running API: a command of its own, in a chunk that loads none of the scaffolding.
    if (io.argv[0] === 'check') return await (await import('./check/check.ts')).runCheck(io, out);
    return await run(io, out);
  } catch (error) {
    if (error instanceof CliError) {
      out.error(error.message);
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
}
