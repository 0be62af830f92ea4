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

/**
 * How a generated project pins this generator (the devDependency its `npm run check` runs): this exact
 * version, or CSE_GENERATOR_SPEC for a build that is not on the registry (a tarball, in this package's
 * own tests and for anyone trying an unpublished build: `file:/path/to/create-secure-express-x.y.z.tgz`).
 */
export const GENERATOR_SPEC = process.env.CSE_GENERATOR_SPEC || PACKAGE.version;
