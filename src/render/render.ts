import { chmod, copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import nodePlop, { type NodePlopAPI } from 'node-plop';
import { GenerationError } from '../errors.ts';
import type { PlannedFile } from './plan.ts';

/**
 * Writes a plan into an empty folder with node-plop: `.hbs` files through its `add` action (Handlebars
 * with node-plop's case helpers and ours), everything else byte for byte through two small action types,
 * so that source files are never run through Handlebars by accident.
 */
export const TEMPLATE_HELPERS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  eq: (a: unknown, b: unknown) => a === b,
  json: (value: unknown) => JSON.stringify(value),
  join: (list: readonly unknown[], separator: unknown) => list.join(typeof separator === 'string' ? separator : ','),
};

async function writeVerbatim(dest: string, write: (path: string) => Promise<void>): Promise<string> {
  await mkdir(dirname(dest), { recursive: true });
  await write(dest);
  return dest;
}

function registerActions(plop: NodePlopAPI, destDir: string): void {
  plop.setActionType('copy', async (_answers, config) => {
    const { source, target } = config as unknown as { source: string; target: string };
    return writeVerbatim(join(destDir, target), async (path) => {
      await copyFile(source, path);
      await chmod(path, (await stat(source)).mode & 0o777);
    });
  });
  plop.setActionType('write', async (_answers, config) => {
    const { content, target } = config as unknown as { content: string; target: string };
    return writeVerbatim(join(destDir, target), (path) => writeFile(path, content));
  });
}

export interface RenderOptions {
  /**
   * A trusted team template's plopfile. Its helpers, partials and action types are loaded into the same
   * plop instance before rendering; a generator it names `secure-express` runs after the built-in
   * files are written, in the new project.
   */
  readonly plopfile?: string;
}

export const TEAM_GENERATOR = 'secure-express';

async function runGenerator(plop: NodePlopAPI, name: string, data: Readonly<Record<string, unknown>>): Promise<void> {
  const { failures } = await plop.getGenerator(name).runActions({ ...data });
  const failure = failures[0];
  if (failure) {
    const reason = String(failure.error || failure.message).split('\n')[0];
    throw new GenerationError(`could not render ${failure.path || failure.type}: ${reason}`);
  }
}

export async function renderPlan(
  plan: readonly PlannedFile[],
  data: Readonly<Record<string, unknown>>,
  destDir: string,
  options: RenderOptions = {},
): Promise<void> {
  const plop = await nodePlop('', { destBasePath: destDir, force: false });
  for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) plop.setHelper(name, helper as never);
  registerActions(plop, destDir);
  if (options.plopfile) {
    try {
      await plop.load(options.plopfile, { destBasePath: destDir }, true);
    } catch (error) {
      throw new GenerationError(`the template's plopfile failed to load: ${String((error as Error).message ?? error).split('\n')[0]}`, { cause: error });
    }
  }

  const actions = plan.map((file) => {
    switch (file.kind) {
      case 'render':
        return { type: 'add', path: file.target, templateFile: file.source, abortOnFail: true };
      case 'copy':
        return { type: 'copy', target: file.target, source: file.source, abortOnFail: true };
      case 'write':
        return { type: 'write', target: file.target, content: file.content, abortOnFail: true };
    }
  });
  plop.setGenerator('project', { description: 'project', prompts: [], actions: actions as never });
  await runGenerator(plop, 'project', data);
  if (plop.getGeneratorList().some((generator) => generator.name === TEAM_GENERATOR)) await runGenerator(plop, TEAM_GENERATOR, data);
}
