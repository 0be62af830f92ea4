import type { Answers } from '../options/answers.ts';
import { GENERATOR_SPEC, PACKAGE } from '../package-info.ts';
import { nodeEngines } from './node-engines.ts';
import { projectVersions } from './versions.ts';

const dependencies = ['@zxcvbn-ts/language-common', 'cors', 'express', 'express-rate-limit', 'helmet', 'kysely', 'nodemailer', 'pino', 'zod'] as const;

/** With `--db postgres`: the driver, and its types for the project's own code. */
const postgresDependencies = ['pg'] as const;
const postgresDevDependencies = ['@types/pg'] as const;

/** With `--rate-limit-store redis`: the limits' store and the client it talks to Redis through. */
const redisDependencies = ['@redis/client', 'rate-limit-redis'] as const;

const devDependencies = [
  '@eslint/js',
  '@seriousme/openapi-schema-validator',
  '@types/cors',
  '@types/express',
  'eslint',
  'ajv',
  'ajv-formats',
  'eslint-plugin-security',
  'plop',
  'smtp-server',
  'swagger-ui-dist',
  'typescript',
  'typescript-eslint',
] as const;

type FlatVersionName =
  | (typeof dependencies)[number]
  | (typeof postgresDependencies)[number]
  | (typeof postgresDevDependencies)[number]
  | (typeof redisDependencies)[number]
  | (typeof devDependencies)[number];

function ranges(names: readonly FlatVersionName[], extra: Record<string, string> = {}): Record<string, string> {
  const entries: [string, string][] = names.map((name) => [name, projectVersions[name]]);
  entries.push(...Object.entries(extra));
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** Node with the version check preloaded; the check alone, before a command that is not Node's. */
const onProjectNode = 'node -r ./scripts/require-node.cjs';
const checkNode = 'node scripts/require-node.cjs';

/**
 * The generated project's package.json. Not a template: the scripts and versions are the same for every
 * project except the name and the Node major, and building an object keeps the file valid JSON.
 */
export function projectPackageJson(answers: Answers): Record<string, unknown> {
  return {
    name: answers.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: nodeEngines[answers.node] },
    scripts: {
      // No `NODE_ENV=... node` (Windows cmd and PowerShell cannot run it): the dev runner sets development
      // mode, an unset NODE_ENV means production (src/config.ts), and tests pass NODE_ENV=test to the config.
      // Scripts that run on the project's Node preload scripts/require-node.cjs: on an older Node it says
      // in one line which one is needed, where they would fail with a stack. (The compiler, the linter and
      // plop run on older Node releases too; plop's output does not, so it is checked first.)
      dev: `${onProjectNode} scripts/dev.ts`,
      // The mail texts are plain files, not TypeScript: copied next to the compiled code that reads them.
      build: "tsc -p tsconfig.build.json && node -e \"require('node:fs').cpSync('src/mail/messages', 'dist/mail/messages', { recursive: true })\"",
      start: `${onProjectNode} dist/server.js`,
      // scripts/test.ts runs node:test's run(): most files share one process, several at a time.
      test: `${onProjectNode} scripts/test.ts`,
      typecheck: 'tsc --noEmit',
      lint: 'eslint --max-warnings 0 .',
      'new:route': `${checkNode} && plop route`,
      'new:migration': `${checkNode} && plop migration`,
      'db:migrate': `${onProjectNode} src/commands/migrate.ts`,
      'user:role': `${onProjectNode} src/commands/user-role.ts`,
      openapi: `${onProjectNode} src/commands/openapi.ts`,
      // Probes a running instance (`npm run check -- <url>`) with the generator that made the project,
      // pinned below: it runs from the lockfile, offline, never whatever the registry serves that day.
      check: `${PACKAGE.name} check`,
    },
    dependencies: ranges([
      ...dependencies,
      ...(answers.db === 'postgres' ? postgresDependencies : []),
      ...(answers.rateLimitStore === 'redis' ? redisDependencies : []),
    ]),
    devDependencies: ranges([...devDependencies, ...(answers.db === 'postgres' ? postgresDevDependencies : [])], {
      '@types/node': projectVersions['@types/node'][answers.node],
      // Exact: the checker `npm run check` runs is the one that generated the project.
      [PACKAGE.name]: GENERATOR_SPEC,
    }),
    // swagger-ui-dist depends on Scarf, whose install script reports each install to its maker: off.
    scarfSettings: { enabled: false },
  };
}
