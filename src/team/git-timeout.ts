import { UsageError } from '../errors.ts';

/**
 * How long one fetch of a team template may take, every git command of it together: the default, and
 * the environment variable that changes it (in CI, a slow mirror may need more). Named in --help.
 */
export const GIT_TIMEOUT_VARIABLE = 'CREATE_SECURE_EXPRESS_GIT_TIMEOUT';
export const DEFAULT_GIT_TIMEOUT_SECONDS = 120;

/** The limit for one template fetch, every git command of it together. */
export interface GitDeadline {
  readonly seconds: number;
  readonly at: number;
}

export function gitDeadline(env: NodeJS.ProcessEnv = process.env): GitDeadline {
  const given = env[GIT_TIMEOUT_VARIABLE]?.trim();
  const seconds = given ? Number(given) : DEFAULT_GIT_TIMEOUT_SECONDS;
  if (given && (!/^\d+(?:\.\d+)?$/.test(given) || seconds <= 0)) {
    throw new UsageError(`${GIT_TIMEOUT_VARIABLE}: ${JSON.stringify(given)} is not accepted: expected a number of seconds above 0, such as ${DEFAULT_GIT_TIMEOUT_SECONDS}`);
  }
  return { seconds, at: Date.now() + seconds * 1000 };
}
