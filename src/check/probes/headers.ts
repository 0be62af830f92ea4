import { describeExchange, listed, type Exchange } from '../context.ts';
import { fail, pass, skipped, warn, type Check, type Outcome, type Severity } from '../model.ts';
import { answeredByProxy, proxyIn } from '../proxy.ts';

const ONE_YEAR = 31_536_000;

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key?.toLowerCase() === name)
    ?.slice(1)
    .join(' ');

const quoted = (value: string) => `"${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;

/** What one response lacks for one header, or undefined when it has it right. */
type Problem = (headers: Readonly<Record<string, string>>) => string | undefined;

interface Found {
  readonly exchange: Exchange;
  readonly note: string;
}

interface HeaderRule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly fix: string;
  readonly httpsOnly?: boolean;
  /** Right but weaker than it should be: a warning, not a failure. */
  readonly weak?: Problem;
  readonly problem: Problem;
  /** The fix for the cause these problems show, when it is not the rule's own, and whether it is the proxy's. */
  readonly causeFix?: (found: readonly Found[]) => { readonly fix: string; readonly fixInProxy?: boolean } | undefined;
}

/** A version in the Server header (`nginx/1.22.1`, `Apache/2.4.57 (Debian)`): which exploits to try. */
const SERVER_VERSION = /\/\d/;

/** An API's set: the headers that matter when a browser is tricked into loading a JSON response. */
const HEADER_RULES: readonly HeaderRule[] = [
  {
    id: 'headers/csp',
    title: "CSP default-src 'none'",
    description: "Every response carries Content-Security-Policy default-src 'none': a JSON response opened as a page can run nothing.",
    severity: 'medium',
    fix: "Send Content-Security-Policy: default-src 'none'; frame-ancestors 'none' on every response, errors included, before any route",
    problem: (headers) => {
      const csp = headers['content-security-policy'];
      if (csp === undefined) return 'no Content-Security-Policy';
      return directive(csp, 'default-src') === "'none'" ? undefined : `CSP ${quoted(csp)}`;
    },
  },
  {
    id: 'headers/hsts',
    title: 'HSTS for a year',
    description: 'Every response over https carries Strict-Transport-Security with a max-age of a year or more.',
    severity: 'medium',
    fix: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every response',
    httpsOnly: true,
    problem: (headers) => {
      const hsts = headers['strict-transport-security'];
      const maxAge = Number(/max-age=(\d+)/i.exec(hsts ?? '')?.[1] ?? 0);
      if (hsts === undefined) return 'no Strict-Transport-Security';
      return maxAge === 0 ? `HSTS ${quoted(hsts)}` : undefined;
    },
    weak: (headers) => {
      const maxAge = Number(/max-age=(\d+)/i.exec(headers['strict-transport-security'] ?? '')?.[1] ?? ONE_YEAR);
      return maxAge < ONE_YEAR ? `HSTS max-age=${maxAge}, under a year` : undefined;
    },
  },
  {
    id: 'headers/nosniff',
    title: 'nosniff',
    description: 'Every response carries X-Content-Type-Options: nosniff, so no browser reads JSON as a script or a page.',
    severity: 'medium',
    fix: 'Send X-Content-Type-Options: nosniff on every response, errors included',
    problem: (headers) => {
      const value = headers['x-content-type-options'];
      if (value?.toLowerCase() === 'nosniff') return undefined;
      return value === undefined ? 'no X-Content-Type-Options' : `X-Content-Type-Options ${quoted(value)}`;
    },
  },
  {
    id: 'headers/framing',
    title: 'framing denied',
    description: "Every response denies framing (X-Frame-Options DENY or frame-ancestors 'none').",
    severity: 'low',
    fix: "Send X-Frame-Options: DENY and frame-ancestors 'none' on every response",
    problem: (headers) => {
      const ancestors = directive(headers['content-security-policy'] ?? '', 'frame-ancestors');
      const frameOptions = headers['x-frame-options']?.toUpperCase();
      if (ancestors === "'none'" || frameOptions === 'DENY') return undefined;
      if (ancestors === undefined && frameOptions === undefined) return 'no X-Frame-Options or frame-ancestors';
      // ' and ': the notes of several responses are listed with commas.
      return [ancestors === undefined ? '' : `frame-ancestors ${ancestors}`, frameOptions ? `X-Frame-Options ${frameOptions}` : ''].filter(Boolean).join(' and ');
    },
  },
  {
    id: 'headers/no-store',
    title: 'Cache-Control no-store',
    description: 'Every response carries Cache-Control: no-store, so no shared cache keeps one user\'s data for another.',
    severity: 'low',
    fix: 'Send Cache-Control: no-store on every response; opt routes into caching one by one',
    problem: (headers) => {
      const value = headers['cache-control'];
      if (value !== undefined && /(?:^|,)\s*no-store\s*(?:,|$)/i.test(value)) return undefined;
      return value === undefined ? 'no Cache-Control' : `Cache-Control ${quoted(value)}`;
    },
  },
  {
    id: 'headers/powered-by',
    title: 'no X-Powered-By or Server version',
    description: 'No response names the framework in X-Powered-By, or the version of the server in front in Server: they tell an attacker which exploits to try.',
    severity: 'low',
    fix: "Turn X-Powered-By off: app.disable('x-powered-by')",
    problem: (headers) => {
      if (headers['x-powered-by'] !== undefined) return `X-Powered-By: ${headers['x-powered-by']}`;
      return headers.server !== undefined && SERVER_VERSION.test(headers.server) ? `Server: ${headers.server}` : undefined;
    },
    causeFix: (found) =>
      found.every(({ note }) => note.startsWith('Server:'))
        ? { fix: 'Take the version out of the Server header of the proxy in front (nginx: server_tokens off; Apache: ServerTokens Prod)', fixInProxy: true }
        : undefined,
  },
];

/** Where the headers were looked for, by kind, so the evidence says that preflights and 429s were among them. */
function kinds(exchanges: readonly Exchange[]): string {
  const names = new Set<string>();
  for (const { request, response } of exchanges) {
    if (request.method === 'OPTIONS') names.add('preflights');
    else if (response.status === 429) names.add('429s');
    else if (response.status >= 400) names.add('errors');
    else names.add('successes');
  }
  return [...names].join(', ');
}

/**
 * nginx's add_header (and Apache's Header set) leave 4xx and 5xx answers out unless told `always`:
 * a header on every success and on no error is that, or an app that sets it after its routes.
 */
function successOnlyFix(found: readonly Found[], exchanges: readonly Exchange[]): string | undefined {
  const proxy = proxyIn(exchanges);
  const errorsOnly = found.every(({ exchange }) => exchange.response.status >= 400);
  const successes = exchanges.filter(({ response }) => response.status < 400);
  if (!proxy || !errorsOnly || successes.length === 0 || successes.some((exchange) => found.some((each) => each.exchange === exchange))) return undefined;
  return `Send it on errors too: the answers came through ${proxy}, whose add_header leaves 4xx and 5xx answers out unless it ends with \`always\` (nginx: add_header ... always; Apache: Header always set); if the app sends it, set it before any route`;
}

/**
 * Missing on preflights alone, through a proxy: the proxy may answer OPTIONS itself (nginx's CORS
 * recipe, `if ($request_method = OPTIONS) { ... return 204; }`), where the app's headers never come.
 */
function preflightOnlyFix(found: readonly Found[], exchanges: readonly Exchange[]): string | undefined {
  const proxy = proxyIn(exchanges);
  if (!proxy || !found.every(({ exchange }) => exchange.request.method === 'OPTIONS')) return undefined;
  return `Send it on preflights too: if ${proxy} answers OPTIONS itself (return 204 in an if ($request_method = OPTIONS) block), add it there with add_header ... always, or let the app answer preflights; if the app answers them, set it before its CORS middleware`;
}

function judge(rule: HeaderRule, all: readonly Exchange[]): Outcome {
  // A proxy's own error page (a 413 for a body over its limit, a 502) is fixed text that never
  // reached the app: nothing on it for these headers to protect, and nothing the app could add.
  const proxyPages = all.filter(({ response }) => answeredByProxy(response) !== undefined);
  const exchanges = all.filter((exchange) => !proxyPages.includes(exchange));
  const [proxyPage] = proxyPages;
  const aside = proxyPage
    ? `; not judged: ${listed(proxyPages.map(describeExchange))}, answered by ${answeredByProxy(proxyPage.response)} itself (its own error page, which the app never saw)`
    : '';
  const seen = (problem: Problem): Found[] => exchanges.flatMap((exchange) => {
    const note = problem(exchange.response.headers);
    return note === undefined ? [] : [{ exchange, note }];
  });
  const problems = seen(rule.problem);
  const describe = (found: readonly Found[]) =>
    `${listed(found.map(({ note }) => note), 2)} on ${found.length} of ${exchanges.length} responses: ${listed(found.map(({ exchange }) => describeExchange(exchange)))}${aside}`;
  if (problems.length > 0) {
    const successOnly = successOnlyFix(problems, exchanges) ?? preflightOnlyFix(problems, exchanges);
    const cause = rule.causeFix?.(problems) ?? (successOnly ? { fix: successOnly } : {});
    return fail(describe(problems), { path: problems[0]?.exchange.request.path, ...cause });
  }
  const weak = rule.weak ? seen(rule.weak) : [];
  if (weak.length > 0) return warn(describe(weak), { path: weak[0]?.exchange.request.path });
  return pass(`all ${exchanges.length} responses (${kinds(exchanges)})${aside}`);
}

/**
 * One check per header, judged on every response of the run (successes, errors, preflights, 429s):
 * a header set by a route, or after the CORS or rate-limit middleware, is missing somewhere, and the
 * evidence says where. They run last, when every other check has added its responses.
 */
export const HEADER_CHECKS: readonly Check[] = HEADER_RULES.map((rule) => ({
  id: rule.id,
  group: 'Security headers',
  title: rule.title,
  description: rule.description,
  severity: rule.severity,
  fix: { text: rule.fix, file: 'src/security/headers.ts' },
  async run(context): Promise<Outcome> {
    if (rule.httpsOnly && context.plan.url.protocol !== 'https:') return skipped('the API was reached over http: HSTS only takes effect over https');
    return judge(rule, context.exchanges());
  },
}));
