import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type Handlebars from 'handlebars';
import nodePlop, { type NodePlopAPI } from 'node-plop';
import plopCaseHelpers from 'node-plop/src/baked-in-helpers.js';
import precompiled from 'virtual:precompiled-templates';
import { GenerationError } from '../errors.ts';
import type { PlannedFile } from './plan.ts';

/**
 * Writes a plan into an empty folder with node-plop. The built-in generator has one action, `plan`:
 * `.hbs` files go through node-plop's Handlebars (its case helpers, ours, and a team plopfile's helpers
 * and partials); every other file is copied byte for byte, so source files never meet Handlebars by
 * accident. Each folder is made once, and the files are written with synchronous calls: for a few dozen
 * small files that is several times faster than a round trip through libuv's thread pool per call.
 */
const TEMPLATE_HELPERS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  eq: (a: unknown, b: unknown) => a === b,
  // Handlebars passes its options object last: every argument before it counts.
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  json: (value: unknown) => JSON.stringify(value),
  join: (list: readonly unknown[], separator: unknown) => list.join(typeof separator === 'string' ? separator : ','),
};

const TEAM_GENERATOR = 'secure-express';

/** node-plop hands its Handlebars instance to plopfiles as `plop.handlebars`; its types omit it. */
type Plop = NodePlopAPI & { readonly handlebars: typeof Handlebars };

/** node-plop's own helpers, which `getHelperList()` leaves out: `pkg` and the case helpers. */
const PLOP_CASE_HELPERS = new Set(Object.keys(plopCaseHelpers));
const PLOP_BUILT_IN_HELPERS = ['pkg', ...PLOP_CASE_HELPERS];

/**
 * A case helper that cases each text once. The templates case the same answer (the project's name)
 * some sixty times, and change-case does it with Unicode property regular expressions, which V8 compiles
 * again to machine code after their first use: a few milliseconds of a run. The helpers are pure, and
 * Handlebars' options object, passed last, has none of change-case's options.
 */
function casedOnce(helper: (text: string) => string): (text: unknown) => unknown {
  const cased = new Map<string, string>();
  return (text) => {
    if (typeof text !== 'string') return helper(text as string);
    let result = cased.get(text);
    if (result === undefined) cased.set(text, (result = helper(text)));
    return result;
  };
}

/**
 * What `plop.renderString` does before it compiles a template: every helper (node-plop's, ours, a
 * team's) and partial registered with node-plop's Handlebars, here for the precompiled templates.
 * Done directly, so that a run whose templates are all precompiled never loads Handlebars' compiler.
 */
function registerWithHandlebars(plop: Plop): void {
  for (const name of [...PLOP_BUILT_IN_HELPERS, ...plop.getHelperList()]) {
    const helper = plop.getHelper(name) as (text: string) => string;
    plop.handlebars.registerHelper(name, (PLOP_CASE_HELPERS.has(name) && helper === plopCaseHelpers[name as keyof typeof plopCaseHelpers] ? casedOnce(helper) : helper) as never);
  }
  for (const name of plop.getPartialList()) plop.handlebars.registerPartial(name, plop.getPartial(name));
}

/** A template's path under templates/, as the build keyed it; sliced when it is inside, as it usually is (`relative` resolves both paths). */
function templateKey(templatesRoot: string, source: string): string {
  const inside = source.startsWith(templatesRoot + sep) ? source.slice(templatesRoot.length + 1) : relative(templatesRoot, source);
  return inside.split(sep).join('/');
}

/**
 * Renders one `.hbs` file with node-plop's Handlebars. A built-in template was precompiled by the build
 * (scripts/build.mjs); it is used when its source is unchanged since, else the source is compiled now.
 */
function renderTemplate(plop: Plop, source: string, data: Readonly<Record<string, unknown>>, templatesRoot: string): string {
  const text = readFileSync(source, 'utf8');
  const built = precompiled[templateKey(templatesRoot, source)];
  if (built && built.source === text) return plop.handlebars.template(built.spec)(data);
  return plop.renderString(text, data);
}

/** A file's bytes and permission bits from one open (readFileSync and then statSync would look the path up twice). */
function readWithMode(path: string): { readonly bytes: Buffer; readonly mode: number } {
  const fd = openSync(path, 'r');
  try {
    const { size, mode } = fstatSync(fd);
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const got = readSync(fd, bytes, read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    return { bytes: bytes.subarray(0, read), mode: mode & 0o777 };
  } finally {
    closeSync(fd);
  }
}

function writePlannedFile(plop: Plop, file: PlannedFile, data: Readonly<Record<string, unknown>>, dest: string, templatesRoot: string): void {
  try {
    if (file.kind === 'write') return writeFileSync(dest, file.content);
    if (file.kind === 'render') return writeFileSync(dest, renderTemplate(plop, file.source, data, templatesRoot));
    // Read and write rather than copyFile: on some file systems copyFile costs a millisecond a file.
    const { bytes, mode } = readWithMode(file.source);
    writeFileSync(dest, bytes, { mode });
  } catch (error) {
    const reason = String((error as Error).message ?? error).split('\n')[0];
    throw new GenerationError(`could not render ${file.target}${file.kind === 'write' ? '' : ` from ${file.source}`}: ${reason}`, { cause: error });
  }
}

function registerPlanAction(plop: Plop, plan: readonly PlannedFile[], destDir: string, templatesRoot: string): void {
  plop.setActionType('plan', (data) => {
    for (const folder of new Set(plan.map((file) => dirname(join(destDir, file.target))))) mkdirSync(folder, { recursive: true });
    for (const file of plan) writePlannedFile(plop, file, data, join(destDir, file.target), templatesRoot);
    return `${plan.length} files`;
  });
}

async function runGenerator(plop: NodePlopAPI, name: string, data: Readonly<Record<string, unknown>>): Promise<void> {
  const { failures } = await plop.getGenerator(name).runActions({ ...data });
  const failure = failures[0];
  if (failure) {
    // node-plop reports a thrown error as text; ours already reads as one line.
    const reason = String(failure.error || failure.message).split('\n')[0] ?? '';
    throw new GenerationError(reason.startsWith('could not render') ? reason : `could not render ${failure.path || failure.type}: ${reason}`);
  }
}

export interface RenderOptions {
  /** The built-in templates folder, whose `.hbs` files the build precompiled. */
  readonly templatesRoot: string;
  /**
   * A trusted team template's plopfile. Its helpers, partials and action types are loaded into the same
   * plop instance before rendering; a generator it names `secure-express` runs after the built-in
   * files are written, in the new project.
   */
  readonly plopfile?: string;
}

export async function renderPlan(
  plan: readonly PlannedFile[],
  data: Readonly<Record<string, unknown>>,
  destDir: string,
  options: RenderOptions,
): Promise<void> {
  const plop = (await nodePlop('', { destBasePath: destDir, force: false })) as Plop;
  for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) plop.setHelper(name, helper as never);
  if (options.plopfile) {
    try {
      await plop.load(options.plopfile, { destBasePath: destDir }, true);
    } catch (error) {
      throw new GenerationError(`the template's plopfile failed to load: ${String((error as Error).message ?? error).split('\n')[0]}`, { cause: error });
    }
  }
  registerWithHandlebars(plop);
  registerPlanAction(plop, plan, destDir, options.templatesRoot);
  plop.setGenerator('project', { description: 'the planned files', prompts: [], actions: [{ type: 'plan', abortOnFail: true }] as never });
  await runGenerator(plop, 'project', data);
  if (plop.getGeneratorList().some((generator) => generator.name === TEAM_GENERATOR)) await runGenerator(plop, TEAM_GENERATOR, data);
}
