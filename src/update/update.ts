import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import type { Io } from '../io.ts';
import { CancelledError, UsageError } from '../errors.ts';
import type { Provenance } from '../options/answers-file.ts';
import { PACKAGE } from '../package-info.ts';
import { makeStagingFolder } from '../render/place.ts';
import { removeNow, removeOnAbort } from '../run/cleanup.ts';
import { satisfies } from '../team/semver-range.ts';
import type { Output } from '../ui/output.ts';
import type { Prompter } from '../ui/prompter.ts';
import { answerChanges, resolveBaseAnswers, resolveNewAnswers } from './answers.ts';
import { applyStaged, stageChanges } from './apply.ts';
import { planChanges } from './changes.ts';
import { checkForUpdate } from './check.ts';
import { parseUpdateArgv, updateHelpText } from './flags.ts';
import { refuseUncommittedWork } from './git-state.ts';
import { hasGit, textMerger } from './merge-text.ts';
import { renderWithGenerator } from './old-generator.ts';
import { describeVersion, readRecord, type ProjectRecord } from './record.ts';
import { renderInProcess } from './render-in-process.ts';
import { countsText, headingText, nextStepsText, planText } from './report.ts';
import { templateToUpdate } from '../team/named-template.ts';
import { loadTemplateVersions, trustInstallSettings, trustPlopfiles } from './templates.ts';
import { readTree } from './tree.ts';

/**
 * `create-secure-express update [dir]`: brings a project up to this generator version and its team
 * template's newest commit without losing its own changes. The project as it was made (the base) and
 * as it would be made now (the new version) are rendered side by side in a temporary folder, then
 * compared with the project file by file. The story of one run, step by step; errors are typed and
 * mapped to exit codes in `main`, which also removes temporary folders on the way out and on Ctrl-C.
 */
function refuseOtherGenerator(record: ProjectRecord): void {
  const { name, version } = record.generator;
  if (name !== PACKAGE.name) throw new UsageError(`the project was made by ${name}, not ${PACKAGE.name}: update it with ${name}`);
  if (!satisfies(version, `<=${PACKAGE.version}`)) {
    throw new UsageError(`the project was made by ${name} ${version}, newer than this one (${PACKAGE.version}): run ${name}@latest update`);
  }
}

export async function runUpdate(io: Io, out: Output): Promise<number> {
  // 1. Flags: what follows the word `update`.
  const args = parseUpdateArgv(io.argv.slice(1));
  if (args.help) return out.info(updateHelpText(PACKAGE.version)), 0;
  if (args.version) return out.info(PACKAGE.version), 0;

  // 2. The project and what made it.
  const projectDir = resolve(io.cwd, args.directory ?? '.');
  const record = readRecord(projectDir);
  // Run inside the project, it goes by its own name, not the folder's (`My-Api` holds `my-api`).
  const shown = relative(io.cwd, projectDir) || (typeof record.answers.name === 'string' ? record.answers.name : basename(projectDir));
  refuseOtherGenerator(record);
  // Where the template comes from, and whether --trust may cover it: only when --template names it.
  const source = templateToUpdate(args.template, record.template, args.trust, io.cwd);
  if (args.check) return checkForUpdate(record, { to: args.to, source }, shown, out);

  // 3. Safe by default: only committed work is rewritten. A dry run writes nothing, so it may look anyway.
  if (!args.dryRun && !args.allowDirty) await refuseUncommittedWork(projectDir, shown);

  // 4. The team template at its recorded commit and at its newest; a plopfile runs only when trusted.
  const interactive = !args.yes && io.stdin.isTTY === true && io.stdout.isTTY === true && !io.env.CI;
  const prompter = interactive ? promptsOnDemand((await import('../ui/prompter.ts')).createPrompter, out, io.stdin) : undefined;
  try {
    return await updateWith(io, out, args, { projectDir, shown, record, source, prompter });
  } finally {
    // The prompter reads the terminal in raw mode until closed: give it back, or the process stays.
    prompter?.close();
  }
}

/**
 * The prompter, opened at the first question. The prompter reads the terminal in raw mode, where Ctrl-C
 * is a key, not a signal: `close()` between questions gives the terminal back, so that Ctrl-C during the
 * long work in between (npm fetching an old release) stops it as it would any command.
 */
function promptsOnDemand(create: (out: Output, stdin: NodeJS.ReadStream) => Prompter, out: Output, stdin: NodeJS.ReadStream): Prompter {
  let open: Prompter | undefined;
  const current = () => (open ??= create(out, stdin));
  return {
    ask: (...args) => current().ask(...args),
    askFolder: (...args) => current().askFolder(...args),
    confirm: (...args) => current().confirm(...args),
    nextStep: () => current().nextStep(),
    pickOption: (...args) => current().pickOption(...args),
    close() {
      open?.close();
      open = undefined;
    },
  };
}

interface UpdateContext {
  readonly projectDir: string;
  readonly shown: string;
  readonly record: ProjectRecord;
  /** Where the team template is fetched from; undefined on the built-in templates. */
  readonly source: string | undefined;
  readonly prompter: Prompter | undefined;
}

async function updateWith(io: Io, out: Output, args: ReturnType<typeof parseUpdateArgv>, { projectDir, shown, record, source, prompter }: UpdateContext): Promise<number> {
  const sameGenerator = record.generator.version === PACKAGE.version;
  // The base is loaded to render it here, or, for the release that rebuilds it, to see what trust it needs.
  const templates = await loadTemplateVersions(record, { to: args.to, needBase: sameGenerator || !args.trust, source });
  const trusted = await trustPlopfiles(templates, args.trust, prompter, out);

  // 5. The new answers: the recorded ones, changed by this run's flags, plus any asked for the first time.
  const folder = basename(projectDir);
  const next = await resolveNewAnswers({ record, given: args.given, varFlags: args.vars, template: templates.next, folder, asker: prompter, acceptDefaults: args.yes });
  const recorded: Provenance = { generator: record.generator, template: record.template };
  const nextProvenance: Provenance = { generator: { name: PACKAGE.name, version: PACKAGE.version }, template: templates.nextProvenance };

  // 6. The base and the new version, side by side in a private temporary folder. The base comes from the
  //    generator version that made the project: this one in-process, or that exact version as a child.
  const work = mkdtempSync(join(tmpdir(), 'create-secure-express-update-'));
  removeOnAbort(work);
  const [baseDir, nextDir] = [join(work, 'base', folder), join(work, 'new', folder)];
  if (sameGenerator) {
    await renderInProcess({ resolved: await resolveBaseAnswers(record, templates.base, folder), provenance: recorded, template: templates.base }, baseDir);
  } else {
    prompter?.close();
    out.step(`Rebuilding the project as ${describeVersion(recorded)} made it…`);
    // A trusted template is named to that version too, at the recorded commit: it trusts no preset's template either.
    // So is one whose only code is package-manager settings: they land in the temporary folder, where nothing installs.
    const onlySettings = templates.base !== undefined && templates.base.plopfile === undefined && templates.base.installSettings.length > 0;
    const trustedTemplate = (trusted || onlySettings) && source ? `${source}#${record.template.commit}` : undefined;
    renderWithGenerator({ record, baseGenerator: args.baseGenerator && resolve(io.cwd, args.baseGenerator), workDir: work, trustedTemplate }, baseDir);
  }
  await renderInProcess({ resolved: next, provenance: nextProvenance, template: templates.next }, nextDir);

  // 7. File by file: take the new version, keep the user's, or merge the two.
  // Each side named apart, even when only the answers changed and both come from the same version.
  const labels = { yours: 'yours', base: `base ${describeVersion(recorded)}`, theirs: `new ${describeVersion(nextProvenance)}` };
  const merger = await textMerger(labels, work, { git: await hasGit() });
  const changes = await planChanges(readTree(baseDir), readTree(nextDir), projectDir, merger);
  // Package-manager settings the template adds or changes: trusted as a plopfile is, now that the plan names them.
  await trustInstallSettings(changes, templates.next, trusted, prompter, out);

  // 8. The plan. A dry run ends here; on a terminal, one last question once everything is staged.
  const answers = answerChanges(record, next);
  out.info(headingText(out, { project: shown, from: describeVersion(recorded), to: describeVersion(nextProvenance), answers }));
  out.info(`\n${planText(out, changes)}`);
  if (merger.engine !== 'git merge-file' && changes.some((change) => change.kind === 'merged' || change.kind === 'conflict')) {
    out.info(out.dim(`  (git was not found: merged with ${merger.engine})`));
  }
  if (args.dryRun) return out.info('\n(dry run: nothing was written)'), 0;
  if (changes.length === 0) return 0;
  const staging = makeStagingFolder(projectDir);
  stageChanges(changes, staging.path);
  if (prompter && !(await prompter.confirm('Apply these changes?'))) throw new CancelledError('cancelled; nothing was changed');

  // 9. Swap the staged files in, .secure-express.json last.
  applyStaged(changes, projectDir, staging.path);
  removeNow(staging.path);

  // 10. What happened, and what is left to do. Conflicts exit 1, so that a CI job opens a pull request and stops.
  const conflicts = changes.filter((change) => change.kind === 'conflict');
  out.success(`Updated ${shown} to ${describeVersion(nextProvenance)}: ${countsText(changes)}`);
  out.info(`\nNext steps:\n${nextStepsText(out, changes, next.answers.pm).map((line) => `  ${line}`).join('\n')}`);
  if (conflicts.length === 0) return 0;
  out.error(`${conflicts.length} file${conflicts.length === 1 ? ' has' : 's have'} conflicts to resolve: ${conflicts.map((change) => change.path).join(', ')}`);
  return 1;
}
