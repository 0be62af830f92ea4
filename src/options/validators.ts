import { builtinModules } from 'node:module';
import { InvalidValue } from '../errors.ts';

/**
 * One validator per kind of value. Each accepts what a flag or a prompt gives (a string) and what a preset
 * file gives (JSON), returns the normalised value, or throws InvalidValue saying what is accepted.
 * Flags, prompts, presets and team defaults all go through these same functions.
 */

/**
 * Unicode's control characters (general category Cc), spelled out: `\p{Cc}` costs V8 a quarter of a
 * millisecond to build. Text that is shown on a terminal must not carry them: an escape sequence in it
 * would rewrite the user's screen, a newline would add a line to the file it is rendered into.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function asText(value: unknown, accepted: string): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InvalidValue(`${show(value)} is not accepted: expected ${accepted}`);
}

export function parseInteger(min: number, max: number): (value: unknown) => number {
  const accepted = `an integer from ${min} to ${max}`;
  return (value) => {
    const text = asText(value, accepted);
    const number = Number(text);
    if (!/^\d+$/.test(text) || number < min || number > max) {
      throw new InvalidValue(`${show(value)} is not accepted: expected ${accepted}`);
    }
    return number;
  };
}

export function parseChoice<T extends string | number>(choices: readonly T[]): (value: unknown) => T {
  const accepted = `one of ${choices.join(', ')}`;
  return (value) => {
    const text = asText(value, accepted);
    const found = choices.find((choice) => String(choice) === text);
    if (found === undefined) throw new InvalidValue(`${show(value)} is not accepted: expected ${accepted}`);
    return found;
  };
}

export function parseBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = asText(value, 'true or false').toLowerCase();
  if (['true', 'yes', 'y'].includes(text)) return true;
  if (['false', 'no', 'n'].includes(text)) return false;
  throw new InvalidValue(`${show(text)} is not accepted: expected true or false`);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const ORIGIN_SHAPE = 'an absolute origin http(s)://host[:port] with no path, query, fragment or wildcard';

/** One origin, as a browser sends it in the `Origin` header (scheme, host and port only). */
export function parseOrigin(value: unknown, { production }: { production: boolean }): string {
  const text = asText(value, ORIGIN_SHAPE);
  const refuse = (why: string): never => {
    throw new InvalidValue(`${show(text)} is not accepted: ${why}; expected ${ORIGIN_SHAPE}`);
  };
  if (text === '*') refuse('wildcards would let any site read responses');
  if (text.includes('*')) refuse('it has a wildcard, which is not matched: list each origin exactly (a pattern would also let in subdomains nobody reviewed)');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const guess = /^[a-z0-9.-]+(:\d+)?$/i.test(text) ? `${LOOPBACK_HOSTS.has(text.split(':')[0] ?? '') ? 'http' : 'https'}://${text}` : undefined;
    refuse(`it lacks the scheme (${guess ? `did you mean ${guess}?` : 'http:// or https://'})`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse(`the scheme ${url.protocol} is not http or https`);
  if (!/^https?:\/\/[^/?#]+\/?$/i.test(text)) refuse('it has a path, query or fragment');
  if (url.username || url.password) refuse('it carries credentials');
  if (production && url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    refuse('production origins must use https (http only for localhost)');
  }
  return url.origin;
}

/** A comma-separated list (flag, prompt) or an array (preset) of origins; empty means none. */
export function parseOriginList(production: boolean): (value: unknown) => readonly string[] {
  return (value) => {
    const items = Array.isArray(value) ? value : asText(value, 'a comma-separated list of origins').split(',');
    const origins = items
      .filter((item) => typeof item !== 'string' || item.trim() !== '')
      .map((item) => parseOrigin(item, { production }));
    return [...new Set(origins)];
  };
}

const WINDOW_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const LIMIT_SHAPE = 'max/window such as 100/15m, with max >= 1 and a window in s, m or h (at most 24h)';

/** A rate limit, `max/window`, e.g. `100/15m`. */
export function parseLimit(value: unknown): string {
  const text = asText(value, LIMIT_SHAPE);
  const match = /^(\d{1,6})\/(\d{1,5})([smh])$/.exec(text);
  const max = Number(match?.[1]);
  const seconds = Number(match?.[2]) * WINDOW_SECONDS[(match?.[3] ?? 's') as keyof typeof WINDOW_SECONDS];
  if (!match || max < 1 || seconds < 1 || seconds > 86_400) {
    throw new InvalidValue(`${show(text)} is not accepted: expected ${LIMIT_SHAPE}`);
  }
  return `${max}/${Number(match[2])}${match[3]}`;
}

/** Requests per second a valid limit allows, to compare two limits with different windows. */
export function limitRate(limit: string): number {
  const [max = '0', window = '1s'] = limit.split('/');
  return Number(max) / (Number(window.slice(0, -1)) * WINDOW_SECONDS[window.slice(-1) as keyof typeof WINDOW_SECONDS]);
}

const BODY_UNITS = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;
const BODY_SHAPE = 'a size such as 100kb or 1mb, from 1kb to 5mb';

/** The largest JSON body the API reads. Small by default: a big limit is a cheap way to exhaust memory. */
export function parseBodyLimit(value: unknown): string {
  const text = asText(value, BODY_SHAPE).toLowerCase();
  const match = /^(\d{1,10})(b|kb|mb)$/.exec(text);
  const bytes = Number(match?.[1]) * BODY_UNITS[(match?.[2] ?? 'b') as keyof typeof BODY_UNITS];
  if (!match || bytes < 1024 || bytes > 5 * 1024 * 1024) {
    throw new InvalidValue(`${show(text)} is not accepted: expected ${BODY_SHAPE}`);
  }
  return `${Number(match[1])}${match[2]}`;
}

const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const NAME_SHAPE = 'a valid npm package name (lowercase letters, digits, - . _ ~, optional @scope/, at most 214 characters)';

export function parsePackageName(value: unknown): string {
  const text = asText(value, NAME_SHAPE);
  const bare = text.replace(/^@[^/]+\//, '');
  const reserved = ['node_modules', 'favicon.ico'].includes(bare) || builtinModules.includes(bare);
  if (!NPM_NAME.test(text) || text.length > 214 || reserved) {
    throw new InvalidValue(`${show(text)} is not accepted: expected ${NAME_SHAPE}${reserved ? ', not a reserved or Node.js core name' : ''}`);
  }
  return text;
}

/** One part of a package name from free text: "Über API!" -> "uber-api" (accents dropped, not the letter). */
function packageNamePart(text: string): string {
  // ASCII has no marks to drop: `\p{M}` costs V8 a sixth of a millisecond to build, at every run.
  const ascii = /^[\u0000-\u007F]*$/.test(text);
  return (ascii ? text : text.normalize('NFKD').replace(/\p{M}/gu, ''))
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]+/, '')
    .replace(/[^a-z0-9-~._]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Turns a folder name into a package name, as a default for `--name` ("My API" -> "my-api", "@acme/orders" kept). */
export function toPackageName(folder: string): string {
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(folder.trim());
  const candidate = scoped ? `@${packageNamePart(scoped[1] ?? '')}/${packageNamePart(scoped[2] ?? '')}` : packageNamePart(folder);
  try {
    return parsePackageName(candidate);
  } catch {
    return 'my-api';
  }
}
