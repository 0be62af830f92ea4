import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fs from 'fs-extra';
import { GenerationError } from '../errors.ts';
import { removeNow, removeOnAbort } from '../run/cleanup.ts';
import type { PlannedFile } from './plan.ts';
import type { TargetState } from './target.ts';

/**
 * Render, then move. The project is rendered into a temporary folder; only when every file rendered is
 * it moved into place. A new target folder appears whole or not at all. In an existing folder (--force)
 * each replaced file is first moved aside, and put back if anything fails, so no user file is lost.
 */
export async function makeStagingFolder(): Promise<string> {
  const staging = await mkdtemp(join(tmpdir(), 'create-secure-express-'));
  removeOnAbort(staging);
  return staging;
}

async function moveIntoNewFolder(staging: string, target: string): Promise<void> {
  const forgetTarget = removeOnAbort(target);
  await fs.mkdirp(dirname(target));
  await fs.move(staging, target);
  forgetTarget();
}

async function moveIntoExistingFolder(staging: string, target: string, plan: readonly PlannedFile[]): Promise<void> {
  const backup = join(staging, '.replaced');
  const moved: string[] = [];
  const replaced: string[] = [];
  try {
    for (const { target: file } of plan) {
      const destination = join(target, file);
      if (await fs.pathExists(destination)) {
        await fs.move(destination, join(backup, file));
        replaced.push(file);
      }
      await fs.move(join(staging, file), destination);
      moved.push(file);
    }
  } catch (error) {
    for (const file of moved) await fs.remove(join(target, file));
    for (const file of replaced) await fs.move(join(backup, file), join(target, file), { overwrite: true });
    throw new GenerationError(`could not move the project into ${target}: ${(error as Error).message}`);
  }
}

export async function placeProject(staging: string, target: TargetState, plan: readonly PlannedFile[]): Promise<void> {
  try {
    if (target.exists) await moveIntoExistingFolder(staging, target.path, plan);
    else await moveIntoNewFolder(staging, target.path);
  } finally {
    removeNow(staging);
  }
}
