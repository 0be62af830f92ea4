import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { OPTIONS, type OptionSpec } from '../options/registry.ts';
import type { AnswerSource, Locks } from '../options/resolve.ts';
import type { Layer } from '../render/layers.ts';
import { outputPath } from '../render/plan.ts';
import { fetchTemplate, type FetchedTemplate } from './fetch.ts';
import { parseTemplateSpec } from './template-spec.ts';
import { readManifest, type TemplateManifest } from './manifest.ts';
import { MANIFEST_FILE } from './manifest-schema.ts';
import { questionSpecs } from './questions.ts';

/**
 * A team template, ready to use: where it came from, its manifest, its `templates/` layer, its extra
 * questions and, if it has one, its plopfile (code, which runs only when trusted).
 */
export interface TeamTemplate {
  readonly fetched: FetchedTemplate;
  readonly manifest: TemplateManifest;
  readonly layer: Layer | undefined;
  readonly questions: readonly OptionSpec[];
  readonly plopfile: string | undefined;
  /** Package-manager settings the template writes into the project (`.npmrc`, ...), which the install obeys. */
  readonly installSettings: readonly string[];
  readonly defaults: AnswerSource;
  readonly locks: Locks;
}

const PLOPFILES = ['plopfile.js', 'plopfile.mjs', 'plopfile.cjs'];

/**
 * A template folder has no package.json to say how to read `plopfile.js`; the manifest's contract is
 * that it is an ES module, so the private copy names it `.mjs` and Node loads it as one.
 */
async function findPlopfile(dir: string): Promise<string | undefined> {
  const name = PLOPFILES.find((candidate) => existsSync(join(dir, candidate)));
  if (!name) return undefined;
  if (name !== 'plopfile.js') return join(dir, name);
  await rename(join(dir, name), join(dir, 'plopfile.mjs'));
  return join(dir, 'plopfile.mjs');
}

/**
 * Files a package manager reads from the project folder: the registry to install from, scripts to run,
 * plugins to load. A template that writes one decides what `npm install` runs right after generation,
 * which is code as surely as a plopfile is. (Names as templates/ holds them: `_npmrc` becomes `.npmrc`.)
 * `bun install` loads the `.env` files it would load to run the project (`BUN_CONFIG_REGISTRY` names the
 * registry there), and Yarn loads `.env.yarn`.
 */
const ENV_FILES = ['', '.local', '.production', '.development', '.test', '.production.local', '.development.local', '.test.local', '.yarn'].map((suffix) => `.env${suffix}`);
const INSTALL_SETTINGS = ['.npmrc', '.yarnrc', '.yarnrc.yml', '.yarn', '.pnpmfile.cjs', '.pnpmfile.mjs', 'pnpm-workspace.yaml', 'bunfig.toml', ...ENV_FILES];

function installSettingsIn(templates: string): string[] {
  const written = readdirSync(templates).map(outputPath);
  return INSTALL_SETTINGS.filter((name) => written.includes(name));
}

/** Whether the file at this output path (`.npmrc`, `.yarn/plugins/x.cjs`) is package-manager settings the template writes. */
export function isInstallSettingOf(template: TeamTemplate, path: string): boolean {
  return template.installSettings.includes(path.split('/')[0] ?? path);
}

/**
 * What the generator reads from a template must be the template's own. A link can lead anywhere on the
 * machine that runs it: `templates -> ~/.ssh` would copy the user's keys into the new project, ready to
 * be pushed, and a linked manifest would print the start of any file in its JSON error.
 */
function refuseLinks(dir: string, shown: string): void {
  for (const name of [MANIFEST_FILE, 'templates', ...PLOPFILES]) {
    if (lstatSync(join(dir, name), { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new UsageError(`--template ${shown}: ${name} is a symbolic link; a template's manifest, templates/ and plopfile must be its own files`);
    }
  }
  const templates = lstatSync(join(dir, 'templates'), { throwIfNoEntry: false });
  if (templates && !templates.isDirectory()) throw new UsageError(`--template ${shown}: templates is not a folder; it holds the files to render`);
}

export async function loadTeamTemplate(spec: string, cwd: string, generatorVersion: string): Promise<TeamTemplate> {
  const fetched = await fetchTemplate(parseTemplateSpec(spec, cwd));
  refuseLinks(fetched.dir, fetched.shown);
  const manifest = await readManifest(fetched.dir, fetched.shown, generatorVersion);
  const templates = join(fetched.dir, 'templates');
  const defaults: AnswerSource = { describe: (option) => `template ${manifest.name} default "${option.key}"`, values: manifest.defaults };
  return {
    fetched,
    manifest,
    layer: existsSync(templates) ? { id: `template:${manifest.name}`, dir: templates } : undefined,
    questions: questionSpecs(manifest.questions),
    plopfile: await findPlopfile(fetched.dir),
    installSettings: existsSync(templates) ? installSettingsIn(templates) : [],
    defaults,
    locks: locksOf(manifest, defaults),
  };
}

/**
 * The template's locks, and those its `remove` implies: removing the file an option adds (the
 * Dockerfile) turns that option off for good, so nobody is asked about it or told they have it.
 */
function locksOf(manifest: TemplateManifest, defaults: AnswerSource): Locks {
  const turnedOff = OPTIONS.filter((spec) => spec.addsFile !== undefined && manifest.remove.includes(spec.addsFile));
  return {
    keys: new Set([...manifest.locked, ...turnedOff.map((spec) => spec.key)]),
    by: manifest.name,
    defaults: { ...defaults, values: { ...defaults.values, ...Object.fromEntries(turnedOff.map((spec) => [spec.key, false])) } },
    reasons: Object.fromEntries(turnedOff.map((spec) => [spec.key, `it removes ${spec.addsFile}`])),
  };
}

