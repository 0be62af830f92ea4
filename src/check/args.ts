import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';

/** What `check` was asked to do, validated once. */
export interface CheckOptions {
  /** The URLs the user named, all on one origin (the only one contacted): a GET to each should succeed. */
  readonly urls: readonly URL[];
  /** An OpenAPI 3 document naming the API's routes: a file, or a URL on the same origin. */
  readonly openapi: { readonly file: string } | { readonly url: URL } | undefined;
  readonly limitPath: string | undefined;
  readonly limitMethod: LimitMethod;
  readonly limitBody: string;
  readonly jsonPath: string | undefined;
  /** An origin the API allows: the look-alike origins are made from it, and POST probes carry it. */
  readonly allowedOrigin: string | undefined;
  readonly maxRequests: number;
  readonly timeoutMs: number;
  readonly slow: boolean;
  readonly json: boolean;
  readonly sarif: string | undefined;
}

export type ParsedCheckArgs = { readonly help: true } | ({ readonly help: false } & CheckOptions);

// DELETE is left out on purpose: check sends nothing that could remove data.
const LIMIT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'] as const;
type LimitMethod = (typeof LIMIT_METHODS)[number];

export const DEFAULT_MAX_REQUESTS = 300;
const MAX_REQUESTS_CEILING = 5000;
const DEFAULT_TIMEOUT_MS = 10_000;

interface CheckFlag {
  readonly flag: string;
  readonly short?: string;
  readonly placeholder?: string;
  readonly help: string;
}

/** Every flag of `check`, in the order `--help` lists them. */
export const CHECK_FLAGS: readonly CheckFlag[] = [
  { flag: 'limit-path', placeholder: '<path>', help: 'a rate-limited path to probe, such as /api/v1/auth/login: requests until 429, then with forged client-address headers (its requests count against your own limit)' },
  { flag: 'limit-method', placeholder: '<method>', help: `the method sent to --limit-path: ${LIMIT_METHODS.join(', ')} (default: GET)` },
  { flag: 'limit-body', placeholder: '<json>', help: 'the JSON body sent to --limit-path with POST, PUT or PATCH, such as a login that fails (default: {})' },
  { flag: 'json-path', placeholder: '<path>', help: 'a route that reads JSON bodies, for the malformed, oversized and text/plain bodies (default: an unknown path, which reaches an app-wide JSON parser)' },
  { flag: 'openapi', placeholder: '<file|url>', help: 'an OpenAPI 3 document (JSON) of the API, a file or a URL on the same origin: CORS, errors and methods are probed on every path it names, and every operation it marks as secured must refuse an anonymous caller (401 or 403)' },
  { flag: 'origin', placeholder: '<origin>', help: 'an origin the API allows (a front end of yours): the look-alike origins are made from it, and the POST probes carry it as a browser would (a cookie-session API refuses them otherwise); without it the look-alike checks are skipped' },
  { flag: 'max-requests', placeholder: '<n>', help: `hard cap on requests, 1 to ${MAX_REQUESTS_CEILING} (default: ${DEFAULT_MAX_REQUESTS})` },
  { flag: 'timeout', placeholder: '<ms>', help: `deadline of each request in milliseconds, 100 to 120000 (default: ${DEFAULT_TIMEOUT_MS})` },
  { flag: 'slow', help: 'also send headers slowly, to see that the server cuts them off (holds a connection for up to 20 s)' },
  { flag: 'json', help: 'print the results as JSON instead of a table (also when the API cannot be reached)' },
  { flag: 'sarif', placeholder: '<file>', help: 'also write the results as SARIF 2.1.0 to <file>, for code scanning (also when the API cannot be reached)' },
  { flag: 'debug', help: 'show a stack trace for unexpected failures' },
  { flag: 'help', short: 'h', help: 'show this help' },
];

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL: give the full address of the API, such as https://api.example.com/healthz`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`"${text}" is not an http:// or https:// URL`);
  if (url.username || url.password) throw new UsageError(`"${text}" carries a user name or password: give the URL without them`);
  url.hash = '';
  return url;
}

/** Every URL on the first one's origin: check talks to one origin only. */
function parseUrls(texts: readonly string[]): URL[] {
  const urls = texts.map(parseUrl);
  const origin = urls[0]?.origin;
  const other = urls.find((url) => url.origin !== origin);
  if (other) throw new UsageError(`"${other.href}" is not on ${origin}: check talks to one origin; run it once per origin`);
  return urls;
}

function parseOpenapi(text: string, origin: string, cwd: string): NonNullable<CheckOptions['openapi']> {
  if (!/^https?:\/\//i.test(text)) {
    const file = resolve(cwd, text);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--openapi: "${text}" is not a file or an http(s) URL`);
    return { file };
  }
  const url = parseUrl(text);
  if (url.origin !== origin) throw new UsageError(`--openapi: "${text}" is not on ${origin}: give a file, or a URL on the API's own origin`);
  return { url };
}

function parsePath(flag: string, text: string): string {
  if (!/^\/[^\s#]*$/.test(text)) throw new UsageError(`--${flag}: "${text}" is not a path on the API: expected one starting with /, such as /api/v1/auth/login`);
  return text;
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`--${flag}: "${text}" is not accepted: expected an integer from ${min} to ${max}`);
  return value;
}

function parseOrigin(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== text.replace(/\/$/, '')) {
    throw new UsageError(`--origin: "${text}" is not an origin: expected scheme://host[:port] with no path, such as https://app.example.com`);
  }
  return url.origin;
}

function parseJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError(`--limit-body: ${JSON.stringify(text)} is not valid JSON`);
  }
  return text;
}

/** Checked before any request is sent, so a long run does not end with nowhere to write. */
function parseSarifPath(text: string, cwd: string): string {
  const path = resolve(cwd, text);
  const isFolder = (candidate: string) => statSync(candidate, { throwIfNoEntry: false })?.isDirectory() === true;
  if (text === '' || isFolder(path)) throw new UsageError(`--sarif: "${text}" is not a file name: expected a path such as check.sarif`);
  if (!isFolder(dirname(path))) throw new UsageError(`--sarif: the folder ${dirname(path)} does not exist`);
  return path;
}

function parseMethod(text: string): LimitMethod {
  const method = LIMIT_METHODS.find((candidate) => candidate === text.toUpperCase());
  if (!method) throw new UsageError(`--limit-method: "${text}" is not accepted: expected one of ${LIMIT_METHODS.join(', ')}`);
  return method;
}

/** Node's parseArgs errors as one line naming the flag. */
function usageErrorFrom(error: unknown): UsageError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${flag} for check (see check --help)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('argument missing') ? new UsageError(`${flag.replace(/^(--\S+).*/, '$1')} needs a value (see check --help)`) : new UsageError(`${flag} takes no value`);
  }
  return new UsageError(message.split('\n')[0] ?? 'invalid arguments');
}

export function parseCheckArgs(argv: readonly string[], cwd: string): ParsedCheckArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        CHECK_FLAGS.map(({ flag, short, placeholder }) => [flag, { type: placeholder ? 'string' : 'boolean', ...(short ? { short } : {}) }] as const),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { help: true };
  if (positionals.length === 0) throw new UsageError('check needs the URL of a running API, such as check http://localhost:3000/healthz (see check --help)');
  const text = (flag: string) => values[flag] as string | undefined;
  const urls = parseUrls(positionals);
  const origin = urls[0]?.origin ?? '';
  const openapi = text('openapi');
  const limitMethod = parseMethod(text('limit-method') ?? 'GET');
  const limitPath = text('limit-path');
  const limitBody = text('limit-body');
  if (limitBody !== undefined && (limitMethod === 'GET' || limitMethod === 'HEAD')) {
    throw new UsageError(`--limit-body is sent with POST, PUT or PATCH: give --limit-method too (now ${limitMethod})`);
  }
  const sarif = text('sarif');
  return {
    help: false,
    urls,
    openapi: openapi === undefined ? undefined : parseOpenapi(openapi, origin, cwd),
    limitPath: limitPath === undefined ? undefined : parsePath('limit-path', limitPath),
    limitMethod,
    limitBody: limitBody === undefined ? '{}' : parseJson(limitBody),
    jsonPath: text('json-path') === undefined ? undefined : parsePath('json-path', text('json-path') ?? ''),
    allowedOrigin: text('origin') === undefined ? undefined : parseOrigin(text('origin') ?? ''),
    maxRequests: parseInteger('max-requests', text('max-requests') ?? String(DEFAULT_MAX_REQUESTS), 1, MAX_REQUESTS_CEILING),
    timeoutMs: parseInteger('timeout', text('timeout') ?? String(DEFAULT_TIMEOUT_MS), 100, 120_000),
    slow: values.slow === true,
    json: values.json === true,
    sarif: sarif === undefined ? undefined : parseSarifPath(sarif, cwd),
  };
}
