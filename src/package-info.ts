import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Paths inside the installed package. Both `src/` (tests, typecheck) and the bundled `dist/` sit one
 * level below the package root, so the same relative URLs work from either.
 */
export const TEMPLATES_ROOT = fileURLToPath(new URL('../templates', import.meta.url));

export const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  readonly name: string;
  readonly version: string;
};
