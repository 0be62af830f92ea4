import { basename, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { CONTROL_CHARACTERS } from '../options/validators.ts';

/**
 * Where the project goes, and the name its package gets unless told otherwise. `@acme/orders` reads as
 * a scoped package name, not as a folder inside one called `@acme`: the project goes into `orders` and
 * keeps the scoped name (as create-t3-app does; `apps/@acme/orders` goes into `apps/orders`). Anything
 * else is a path, named after its last folder.
 */
export interface ProjectLocation {
  readonly path: string;
  readonly name: string;
}

const SCOPED = /^(.*?)(@[^/\\]+)[/\\]([^/\\]+)[/\\]?$/;


export function projectLocation(directory: string, cwd: string): ProjectLocation {
  // Shown in every message and next step: a terminal escape in it would rewrite the user's screen.
  if (CONTROL_CHARACTERS.test(directory)) throw new UsageError(`the folder name ${JSON.stringify(directory)} has control characters: choose a plain name`);
  const scoped = SCOPED.exec(directory);
  if (scoped) {
    const [, parent = '', scope = '', name = ''] = scoped;
    return { path: resolve(cwd, parent, name), name: `${scope}/${name}` };
  }
  const path = resolve(cwd, directory);
  return { path, name: basename(path) };
}
