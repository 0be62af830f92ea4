import type { Answers } from '../options/answers.ts';
import { projectVersions } from './versions.ts';

/** The oldest release of each Node major the project runs on: 22.18 is the first to strip types by default. */
const nodeEngines = { 22: '>=22.18', 24: '>=24' } as const;

const dependencies = ['cors', 'express', 'express-rate-limit', 'helmet', 'pino', 'zod'] as const;

/** With `--rate-limit-store redis`: the limits' store and the client it talks to Redis through. */
const redisDependencies = ['@redis/client', 'rate-limit-redis'] as const;

const devDependencies = [
  '@eslint/js',
  '@types/cors',
  '@types/express',
  'eslint',
  'eslint-plugin-security',
  'plop',
  'typescript',
  'typescript-eslint',
] as const;

type FlatVersionName = (typeof dependencies)[number] | (typeof redisDependencies)[number] | (typeof devDependencies)[number];

function ranges(names: readonly FlatVersionName[], extra: Record<string, string> = {}): Record<string, string> {
  const entries: [string, string][] = names.map((name) => [name, projectVersions[name]]);
  entries.push(...Object.entries(extra));
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

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
      dev: 'node scripts/dev.ts',
      build: 'tsc -p tsconfig.build.json',
      start: 'node dist/server.js',
      test: 'node --test --test-reporter=spec "test/**/*.test.ts"',
      typecheck: 'tsc --noEmit',
      lint: 'eslint --max-warnings 0 .',
      'new:route': 'plop route',
    },
    dependencies: ranges(answers.rateLimitStore === 'redis' ? [...dependencies, ...redisDependencies] : dependencies),
    devDependencies: ranges(devDependencies, { '@types/node': projectVersions['@types/node'][answers.node] }),
  };
}
