import type { CheckOptions } from './args.ts';
import type { Operation } from './openapi.ts';

/**
 * Where each probe goes and what it sends, worked out before anything is sent, so that the notice
 * printed first says exactly what follows. Every path is on the origin of the URLs the user named.
 * Nothing in a plan changes between runs (no random token): the same API gives the same report, and
 * dashboards fed the SARIF see the same alerts.
 */
export interface HostileOrigin {
  readonly id: string;
  readonly title: string;
  /** Undefined when it cannot be made: a look-alike needs an origin the API allows (--origin). */
  readonly origin: string | undefined;
}

export interface ProbePlan {
  readonly url: URL;
  /** The path and query of every URL named: a GET to each should succeed. */
  readonly successPaths: readonly string[];
  /** A path nothing should serve, beside the first URL's path (so under the same API prefix). */
  readonly notFoundPath: string;
  /** Where the malformed, oversized, form and text/plain bodies go, and with which method. */
  readonly json: { readonly method: string; readonly path: string };
  /** Every path CORS and methods are probed on: the URLs, then the document's paths. */
  readonly paths: readonly string[];
  readonly operations: readonly Operation[];
  /** The prefix put before the document's paths, when the URL named shows one (see `underPrefix`). */
  readonly documentPrefix: string | undefined;
  readonly allowedOrigin: string | undefined;
  readonly hostileOrigins: readonly HostileOrigin[];
  readonly limit: { readonly path: string; readonly method: string; readonly body: string | undefined } | undefined;
}

/** Sent where an echo of the request must be recognised (TRACE): fixed, so reports are stable. */
export const PROBE_MARKER = 'cse-check-probe-7f3a';

/** A domain reserved for documentation (RFC 2606), so a hostile origin can never be a real site. */
export const ATTACKER = 'check-attacker.example';

const withPort = (port: string) => (port ? `:${port}` : '');

/** The kinds of hostile origin; the look-alikes are made from an origin the API allows. */
export const HOSTILE_ORIGINS: readonly { readonly id: string; readonly title: string; readonly make: (allowed: URL | undefined) => string | undefined }[] = [
  { id: 'other-site', title: 'another site', make: () => `https://${ATTACKER}` },
  { id: 'null', title: 'the null origin', make: () => 'null' },
  { id: 'suffix', title: 'a look-alike suffix', make: (allowed) => allowed && `${allowed.protocol}//${allowed.hostname}.${ATTACKER}${withPort(allowed.port)}` },
  { id: 'prefix', title: 'a look-alike prefix', make: (allowed) => allowed && `${allowed.protocol}//check-attacker-${allowed.hostname}${withPort(allowed.port)}` },
  {
    id: 'scheme',
    title: 'another scheme',
    make: (allowed) => allowed && `${allowed.protocol === 'https:' ? 'http:' : 'https:'}//${allowed.hostname}${withPort(allowed.port)}`,
  },
];

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A document that names the app's own paths (/healthz) for an API reached under a prefix that a proxy
 * strips (/api/healthz, nginx's `location /api/ { proxy_pass http://app/; }`): a URL named that is
 * none of the document's paths but ends with one of them tells the prefix, which then goes before
 * every path. Without it every probe of the document would ask the proxy for paths it does not serve.
 */
export function underPrefix(operations: readonly Operation[], successPaths: readonly string[]): { operations: readonly Operation[]; prefix: string | undefined } {
  const named = successPaths.map((path) => path.replace(/\?.*$/, ''));
  const documented = new Set(operations.map((operation) => operation.path));
  if (named.some((path) => documented.has(path))) return { operations, prefix: undefined };
  const prefix = named
    .flatMap((path) => [...documented].filter((each) => each !== '/' && path.endsWith(each)).map((each) => path.slice(0, -each.length)))
    .find((candidate) => /^\/[^?#]*[^/]$/.test(candidate));
  if (prefix === undefined) return { operations, prefix: undefined };
  return { operations: operations.map((operation) => ({ ...operation, path: `${prefix}${operation.path}` })), prefix };
}

export function planProbes(options: CheckOptions, documentOperations: readonly Operation[]): ProbePlan {
  const [url = new URL('http://invalid')] = options.urls;
  const folder = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
  const notFoundPath = `${folder}check-not-found`;
  const successPaths = [...new Set(options.urls.map((each) => `${each.pathname}${each.search}`))];
  const { operations, prefix: documentPrefix } = underPrefix(documentOperations, successPaths);
  // A route the document says reads JSON is where a body is really parsed; public ones first, as a
  // secured route may refuse before reading.
  const bodyRoute = [...operations].sort((a, b) => Number(a.secured) - Number(b.secured)).find((operation) => operation.jsonBody && BODY_METHODS.has(operation.method));
  const json = options.jsonPath ? { method: 'POST', path: options.jsonPath } : bodyRoute ? { method: bodyRoute.method, path: bodyRoute.path } : { method: 'POST', path: notFoundPath };
  const sendsBody = BODY_METHODS.has(options.limitMethod);
  const allowed = options.allowedOrigin === undefined ? undefined : new URL(options.allowedOrigin);
  return {
    url,
    successPaths,
    notFoundPath,
    json,
    paths: [...new Set([...successPaths, ...operations.map((operation) => operation.path)])],
    operations,
    documentPrefix,
    allowedOrigin: options.allowedOrigin,
    hostileOrigins: HOSTILE_ORIGINS.map(({ id, title, make }) => ({ id, title, origin: make(allowed) })),
    limit: options.limitPath ? { path: options.limitPath, method: options.limitMethod, body: sendsBody ? options.limitBody : undefined } : undefined,
  };
}

const list = (items: readonly string[], shown = 4) => (items.length > shown ? `${items.slice(0, shown).join(', ')} and ${items.length - shown} more` : items.join(', '));

/** What is about to be sent, in a few lines, before the first request. */
export function noticeText(plan: ProbePlan, options: CheckOptions): string {
  const origins = plan.hostileOrigins.flatMap(({ origin }) => (origin ? [origin] : []));
  const secured = plan.operations.filter((operation) => operation.secured && operation.method !== 'DELETE');
  const lines = [
    `check sends at most ${options.maxRequests} requests to ${plan.url.origin} and nowhere else, one at a time, ` +
      `each with a ${options.timeoutMs / 1000} s deadline; redirects are not followed:`,
    `  GET ${list(plan.successPaths)} and ${plan.notFoundPath}`,
    `  on ${list(plan.paths)}: GET and CORS preflights (OPTIONS) from ${origins.join(', ')} (look-alikes on the first path only), and PATCH with no body`,
    `  ${plan.json.method} ${plan.json.path}: malformed JSON, 1 MB of malformed JSON, text/plain, form and multipart bodies (none that could be stored)${plan.allowedOrigin ? `, with Origin: ${plan.allowedOrigin}` : ''}`,
    `  TRACE ${plan.successPaths[0]}`,
  ];
  if (plan.documentPrefix) lines.push(`  the document's paths under ${plan.documentPrefix}, where the URLs named show the API (the document names them without it)`);
  if (secured.length > 0) lines.push(`  without credentials: ${list(secured.map((operation) => `${operation.method} ${operation.path}`))} (bodies: {})`);
  if (plan.limit) {
    const body = plan.limit.body === undefined ? '' : ` ${plan.limit.body}`;
    lines.push(`  ${plan.limit.method} ${plan.limit.path}${body} until it answers 429, then with forged X-Forwarded-For, X-Real-IP and Forwarded headers`);
  } else {
    lines.push(`  if a response counts down a rate limit (RateLimit headers): a few more GETs, some with forged X-Forwarded-For, X-Real-IP and Forwarded headers`);
  }
  if (options.slow) lines.push(`  one connection that sends the headers of GET ${plan.successPaths[0]} a line a second, for up to 20 s`);
  return lines.join('\n');
}
