import { join } from 'node:path';
import type { Answers } from '../options/answers.ts';

/**
 * The built-in template layers, applied in this order. A feature is a folder under `templates/` plus the
 * rule that turns it on; it adds files or replaces a base file at the same path, never a combination
 * file. A team template (when given) is layered over all of these.
 */
export interface Layer {
  readonly id: string;
  readonly dir: string;
}

export const FEATURES: Readonly<Record<string, (answers: Readonly<Answers>) => boolean>> = {
  base: () => true,
  sqlite: (answers) => answers.db === 'sqlite',
  postgres: (answers) => answers.db === 'postgres',
  bearer: (answers) => answers.session === 'bearer',
  cookie: (answers) => answers.session === 'cookie',
  docker: (answers) => answers.docker,
  redis: (answers) => answers.rateLimitStore === 'redis',
  // What tests of a service shared between instances need (a proxy that takes it away): PostgreSQL, Redis.
  services: (answers) => answers.db === 'postgres' || answers.rateLimitStore === 'redis',
  // Services to run beside the API: only when there is one (PostgreSQL, Redis).
  compose: (answers) => answers.docker && (answers.db === 'postgres' || answers.rateLimitStore === 'redis'),
};

export function builtInLayers(templatesRoot: string, answers: Readonly<Answers>): Layer[] {
  return Object.entries(FEATURES)
    .filter(([, isOn]) => isOn(answers))
    .map(([id]) => ({ id, dir: join(templatesRoot, id) }));
}
