import type { CheckOptions } from './args.ts';

/**
 * Where each probe goes and what it sends, worked out before anything is sent, so that the notice
 * printed first says exactly what follows. Every path is on the origin of the URL the user named.
 */
export interface HostileOrigin {
  readonly id: string;
  readonly title: string;
  readonly origin: string;
}

export interface ProbePlan {
  readonly url: URL;
  /** Random for each run: marks this run's requests, so that an echo of them can be recognised. */
  readonly token: string;
  /** The URL's path and query: a GET there should succeed. */
  readonly successPath: string;
  /** A path nothing should serve, beside the URL's path (so under the same API prefix). */
  readonly notFoundPath: string;
  /** Where the malformed, oversized and text/plain bodies go. */
  readonly jsonPath: string;
  readonly hostileOrigins: readonly HostileOrigin[];
  readonly limit: { readonly path: string; readonly method: string; readonly body: string | undefined } | undefined;
}

/** A domain reserved for documentation (RFC 2606), so a look-alike origin can never be a real site. */
const ATTACKER = 'check-attacker.example';

/** The kinds of hostile origin, each made from an origin the API allows. */
export const HOSTILE_ORIGINS: readonly { readonly id: string; readonly title: string; readonly make: (allowed: URL) => string }[] = [
  { id: 'other-site', title: 'another site', make: () => `https://${ATTACKER}` },
  { id: 'null', title: 'the null origin', make: () => 'null' },
  { id: 'suffix', title: 'a look-alike suffix', make: ({ protocol, hostname, port }) => `${protocol}//${hostname}.${ATTACKER}${port ? `:${port}` : ''}` },
  { id: 'prefix', title: 'a look-alike prefix', make: ({ protocol, hostname, port }) => `${protocol}//check-attacker-${hostname}${port ? `:${port}` : ''}` },
  {
    id: 'scheme',
    title: 'another scheme',
    make: ({ protocol, hostname, port }) => `${protocol === 'https:' ? 'http:' : 'https:'}//${hostname}${port ? `:${port}` : ''}`,
  },
];

export function planProbes(options: CheckOptions, token: string): ProbePlan {
  const { url } = options;
  const folder = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
  const notFoundPath = `${folder}check-not-found-${token}`;
  const sendsBody = options.limitMethod !== 'GET' && options.limitMethod !== 'HEAD';
  return {
    url,
    token,
    successPath: `${url.pathname}${url.search}`,
    notFoundPath,
    jsonPath: options.jsonPath ?? notFoundPath,
    hostileOrigins: HOSTILE_ORIGINS.map(({ id, title, make }) => ({ id, title, origin: make(new URL(options.allowedOrigin)) })),
    limit: options.limitPath ? { path: options.limitPath, method: options.limitMethod, body: sendsBody ? options.limitBody : undefined } : undefined,
  };
}

/** What is about to be sent, in a few lines, before the first request. */
export function noticeText(plan: ProbePlan, options: CheckOptions): string {
  const lines = [
    `check sends at most ${options.maxRequests} requests to ${plan.url.origin} and nowhere else, one at a time, ` +
      `each with a ${options.timeoutMs / 1000} s deadline; redirects are not followed:`,
    `  GET ${plan.successPath} and ${plan.notFoundPath}`,
    `  GET ${plan.successPath} (also with a cookie) and CORS preflights (OPTIONS) from ${plan.hostileOrigins.map(({ origin }) => origin).join(', ')}`,
    `  PATCH ${plan.successPath} with no body; TRACE ${plan.successPath}`,
    `  POST ${plan.jsonPath}: malformed JSON, 1 MB of malformed JSON, malformed JSON as text/plain (no body that could be stored)`,
  ];
  if (plan.limit) {
    const body = plan.limit.body === undefined ? '' : ` ${plan.limit.body}`;
    lines.push(`  ${plan.limit.method} ${plan.limit.path}${body} until it answers 429, then with forged X-Forwarded-For, X-Real-IP and Forwarded headers`);
  }
  if (options.slow) lines.push(`  one connection that sends the headers of GET ${plan.successPath} a line a second, for up to 20 s`);
  return lines.join('\n');
}
