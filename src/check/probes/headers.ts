import type { ReceivedResponse } from '../client.ts';
import { describeExchange, type SharedExchange } from '../context.ts';
import { fail, outcome, skipped, warn, worst, type Check, type Outcome, type Verdict } from '../model.ts';

/** One header rule: what it found, and how bad that is. `undefined` when it does not apply. */
type HeaderRule = (headers: Readonly<Record<string, string>>, secure: boolean) => { verdict: Verdict; note: string } | undefined;

const ONE_YEAR = 31_536_000;

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key?.toLowerCase() === name)
    ?.slice(1)
    .join(' ');

const quoted = (value: string) => `"${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;

/** An API's set: the headers that matter when a browser is tricked into loading a JSON response. */
const HEADER_RULES: readonly HeaderRule[] = [
  (headers) => {
    const csp = headers['content-security-policy'];
    if (csp === undefined) return { verdict: 'fail', note: 'no Content-Security-Policy' };
    if (directive(csp, 'default-src') !== "'none'") return { verdict: 'fail', note: `CSP ${quoted(csp)}, not default-src 'none'` };
    return { verdict: 'pass', note: "CSP default-src 'none'" };
  },
  (headers, secure) => {
    if (!secure) return undefined;
    const hsts = headers['strict-transport-security'];
    const maxAge = Number(/max-age=(\d+)/i.exec(hsts ?? '')?.[1] ?? 0);
    if (hsts === undefined || maxAge === 0) return { verdict: 'fail', note: hsts === undefined ? 'no Strict-Transport-Security' : `HSTS ${quoted(hsts)}` };
    if (maxAge < ONE_YEAR) return { verdict: 'warn', note: `HSTS max-age=${maxAge}, under a year` };
    return { verdict: 'pass', note: `HSTS max-age=${maxAge}` };
  },
  (headers) =>
    headers['x-content-type-options']?.toLowerCase() === 'nosniff'
      ? { verdict: 'pass', note: 'nosniff' }
      : { verdict: 'fail', note: headers['x-content-type-options'] === undefined ? 'no X-Content-Type-Options' : `X-Content-Type-Options ${quoted(headers['x-content-type-options'])}` },
  (headers) => {
    const ancestors = directive(headers['content-security-policy'] ?? '', 'frame-ancestors');
    const frameOptions = headers['x-frame-options']?.toUpperCase();
    if (ancestors === "'none'" || frameOptions === 'DENY') return { verdict: 'pass', note: ancestors === "'none'" ? "frame-ancestors 'none'" : 'X-Frame-Options DENY' };
    if (ancestors === undefined && frameOptions === undefined) return { verdict: 'fail', note: 'no frame denial (X-Frame-Options or frame-ancestors)' };
    return { verdict: 'fail', note: `framing allowed: ${[ancestors === undefined ? '' : `frame-ancestors ${ancestors}`, frameOptions ? `X-Frame-Options ${frameOptions}` : ''].filter(Boolean).join(', ')}` };
  },
  (headers) => {
    const cacheControl = headers['cache-control'];
    if (cacheControl !== undefined && /(?:^|,)\s*no-store\s*(?:,|$)/i.test(cacheControl)) return { verdict: 'pass', note: 'no-store' };
    return { verdict: 'fail', note: cacheControl === undefined ? 'no Cache-Control: no-store' : `Cache-Control ${quoted(cacheControl)}, not no-store` };
  },
  (headers) =>
    headers['x-powered-by'] === undefined ? { verdict: 'pass', note: 'no X-Powered-By' } : { verdict: 'fail', note: `X-Powered-By: ${headers['x-powered-by']}` },
];

/** Every rule against one response: the worst verdict, the problems first (or everything that passed). */
export function judgeHeaders(response: ReceivedResponse, secure: boolean): { verdict: Verdict; notes: string } {
  const results = HEADER_RULES.map((rule) => rule(response.headers, secure)).filter((result) => result !== undefined);
  const verdict = worst(results.map((result) => result.verdict));
  const shown = verdict === 'pass' ? results : results.filter((result) => result.verdict !== 'pass');
  const notes = shown.map((result) => result.note).join(', ');
  return { verdict, notes: secure || verdict !== 'pass' ? notes : `${notes} (HSTS: https only)` };
}

const FIX = {
  text: "Set the API headers (CSP default-src 'none', nosniff, X-Frame-Options DENY, HSTS, Cache-Control no-store) on every response, errors included, before any route; disable X-Powered-By",
  file: 'src/security/headers.ts',
};

const RESPONSES: readonly { id: string; shared: SharedExchange; title: string; what: string }[] = [
  { id: 'headers/success', shared: 'success', title: 'headers on a success', what: 'a 2xx answer to GET <url>' },
  { id: 'headers/not-found', shared: 'not-found', title: 'headers on a 404', what: 'the answer to an unknown path' },
  { id: 'headers/bad-request', shared: 'malformed-json', title: 'headers on a 400', what: 'the answer to malformed JSON' },
];

export const HEADER_CHECKS: readonly Check[] = RESPONSES.map(({ id, shared, title, what }) => ({
  id,
  group: 'Security headers',
  title,
  description: `The security headers of an API on ${what}.`,
  fix: FIX,
  async run(context): Promise<Outcome> {
    const exchange = await context.shared(shared);
    const { status, headers } = exchange.response;
    if (shared === 'success' && status >= 300 && status < 400) {
      const to = headers.location ? ` to ${headers.location}` : '';
      return skipped(`${describeExchange(exchange)}${to}: redirects are not followed; give the final URL`);
    }
    if (shared === 'success' && status === 429) return skipped(`${describeExchange(exchange)}: rate limited; run again when its window has passed`);
    const { verdict, notes } = judgeHeaders(exchange.response, context.plan.url.protocol === 'https:');
    const evidence = `${describeExchange(exchange)}: ${notes}`;
    if (shared === 'success' && (status < 200 || status >= 300)) {
      return verdict === 'pass' ? warn(`${evidence}; not a 2xx: give a URL that answers GET with 2xx`) : fail(evidence);
    }
    return outcome(verdict, evidence);
  },
}));
