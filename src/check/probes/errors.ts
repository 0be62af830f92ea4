import type { SentRequest } from '../client.ts';
import { bodyHeaders, describeExchange, isJsonType, listed, MALFORMED_JSON, type Exchange, type ProbeContext } from '../context.ts';
import { findFingerprints, findLeaks, isParserSign, showsJsonParseFailure } from '../leaks.ts';
import { fail, pass, skipped, warn, worst, type Check, type Outcome } from '../model.ts';
import { answeredByProxy, isLimited } from '../proxy.ts';

const ONE_MEGABYTE = 1024 * 1024;

/** The fix when a client's mistake comes back as a 5xx: the cause is the error handler, not the limit. */
export const SERVER_ERROR_FIX =
  "Answer a client's mistake with its 4xx in your error handler, never 500: in Express, answer err.status (and err.statusCode) when it is a 4xx, as the body parser sets it; a handler that ignores it turns every client mistake into a 500";

/** The fix when every default page came from the proxy in front, which answered before the app saw the request. */
const PROXY_PAGE_FIX =
  'The proxy in front answered these itself, before the app saw them: if API clients must read them, give it JSON error pages for the statuses it answers (nginx: error_page with a location that returns problem+json)';

/** The fix when the only fingerprint is the body parser's own message, passed on by a handler that is otherwise right. */
const PARSER_MESSAGE_FIX = "Answer a body the parser refuses with a fixed message of your own for its status, not err.message: JSON.parse's words name the runtime";

/**
 * What a status that is not the one expected says about a body probe. A body route that answers the
 * same with no body at all never read it (a catch-all, a docs UI mounted at /): nothing to conclude.
 * A 401 or 403 came before the body was read, which hides the parser behind it.
 */
async function bodyNotRead(context: ProbeContext, exchange: Exchange): Promise<Outcome | undefined> {
  const { status } = exchange.response;
  const head = describeExchange(exchange);
  if (status === 401 || status === 403) {
    const hint = context.plan.allowedOrigin ? '' : ' (a cookie-session API refuses a POST without an allowed Origin: give --origin)';
    return skipped(`${head}: refused before the body was read${hint}; give --json-path a public route that reads JSON`);
  }
  if (status === 404 || status === 405) return warn(`${head}: the body was not read at this path: give --json-path (or --openapi) a route that reads JSON`);
  if (status < 300) {
    const baseline = await context.shared('no-body');
    if (baseline.response.status === status) {
      return skipped(`${head}, and ${describeExchange(baseline)} with no body: the route answers the same whatever is sent (a catch-all?): give --json-path a route that reads JSON`);
    }
  }
  return undefined;
}

interface BodyProbe {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly fix: string;
  readonly expected: number;
  /** Where it goes besides the body route (--json-path, or the document's first JSON route). */
  readonly alsoTo: (context: ProbeContext) => readonly { method: string; path: string }[];
  readonly request: (context: ProbeContext, target: { method: string; path: string }) => SentRequest | 'shared';
  /** The verdict on a status that is neither the expected one, a 5xx, nor one that says the body was not read. */
  readonly otherwise: (exchange: Exchange) => Outcome;
  /** What a 5xx's body still tells about the probe's own cause, hidden behind the error handler's. */
  readonly behindServerError?: (exchange: Exchange) => string | undefined;
}

const JSON_METHODS = new Set(['POST', 'PUT', 'PATCH']);

const BODY_PROBES: readonly BodyProbe[] = [
  {
    id: 'errors/malformed-json',
    title: 'malformed JSON is a 400',
    description: 'A body that is not valid JSON, sent as application/json, is answered 400.',
    fix: 'Answer a body the JSON parser refuses with 400 (err.status), in an error handler of your own',
    expected: 400,
    // Every operation the document says reads JSON: a route may parse bodies its own way.
    alsoTo: (context) =>
      context.plan.operations.filter((operation) => operation.jsonBody && JSON_METHODS.has(operation.method) && !(operation.path === context.plan.json.path && operation.method === context.plan.json.method)),
    request: (context, target) =>
      target === context.plan.json ? 'shared' : { method: target.method, path: target.path, headers: bodyHeaders(context.plan, 'application/json'), body: MALFORMED_JSON },
    otherwise: (exchange) =>
      exchange.response.status < 300 ? fail(`${describeExchange(exchange)}: malformed JSON was accepted`) : warn(`${describeExchange(exchange)}: expected 400`),
  },
  {
    id: 'errors/body-too-large',
    title: 'a body over 1 MB is a 413',
    description: 'A JSON body over 1 MB is refused with 413 as soon as the limit is passed.',
    fix: 'Give the JSON parser a small limit (100kb, at most a few MB): it answers 413 without reading the rest',
    expected: 413,
    alsoTo: () => [],
    // Malformed at the end: a parser that reads it all still cannot hand a route anything to store.
    request: (context, target) => ({
      method: target.method,
      path: target.path,
      headers: bodyHeaders(context.plan, 'application/json'),
      body: `{"check": "${'x'.repeat(ONE_MEGABYTE)}`,
    }),
    otherwise: (exchange) => {
      const head = describeExchange(exchange);
      if (exchange.response.status === 400) return fail(`${head}: the whole 1 MB was read and then failed to parse: the body limit is over 1 MB`);
      if (exchange.response.status < 300) return fail(`${head}: a body over 1 MB was accepted`);
      return warn(`${head}: expected 413`);
    },
    // A handler that answers 500 whatever err.status says hides the limit, unless it passes the
    // parser's message on: a parse failure means the whole body was read.
    behindServerError: ({ response }) =>
      showsJsonParseFailure(response.body) ? "; the answer shows JSON.parse's failure, so the parser read the whole 1 MB: the body limit is over 1 MB too" : undefined,
  },
];

function bodyCheck(probe: BodyProbe): Check {
  return {
    id: probe.id,
    group: 'Errors',
    title: probe.title,
    description: probe.description,
    severity: 'medium',
    fix: { text: probe.fix, file: probe.id === 'errors/malformed-json' ? 'src/http/error-handler.ts' : 'src/http/json-body.ts' },
    async run(context) {
      const outcomes: Outcome[] = [];
      for (const target of [context.plan.json, ...probe.alsoTo(context)]) {
        const request = probe.request(context, target);
        const exchange = request === 'shared' ? await context.shared('malformed-json') : await context.send(request);
        outcomes.push(await judgeBody(probe, context, exchange, target === context.plan.json));
      }
      return combined(outcomes);
    },
  };
}

async function judgeBody(probe: BodyProbe, context: ProbeContext, exchange: Exchange, bodyRoute: boolean): Promise<Outcome> {
  const { status } = exchange.response;
  const path = exchange.request.path;
  if (status === probe.expected) {
    const proxy = answeredByProxy(exchange.response);
    return pass(`${describeExchange(exchange)}${proxy ? `, answered by ${proxy} itself: the app's own limit is behind it, unseen` : ''}`);
  }
  if (isLimited(exchange)) return { ...skipped(`${describeExchange(exchange)}: rate limited; run again when its window has passed`), path };
  if (status >= 500) return fail(`${describeExchange(exchange)}: a client's mistake became a server error${probe.behindServerError?.(exchange) ?? ''}`, { fix: SERVER_ERROR_FIX, path });
  // A route the document names does read JSON: no catch-all to rule out, and a refusal before reading is fine.
  if (!bodyRoute && [401, 403, 404, 405].includes(status)) return skipped(`${describeExchange(exchange)}: not read`);
  const outcome = (bodyRoute ? await bodyNotRead(context, exchange) : undefined) ?? probe.otherwise(exchange);
  return { ...outcome, path };
}

/** Several answers as one outcome: the worst verdict with the answers that earned it. */
function combined(outcomes: readonly Outcome[]): Outcome {
  const judged = outcomes.filter((each) => each.verdict !== 'skipped');
  if (judged.length === 0) return outcomes[0] ?? skipped('nothing sent');
  const verdict = worst(judged.map((each) => each.verdict));
  const shown = judged.filter((each) => each.verdict === verdict);
  const [first] = shown;
  return { ...first, verdict, evidence: shown.map((each) => each.evidence).join('; ') };
}

const UNKNOWN_ROUTE_CHECK: Check = {
  id: 'errors/unknown-route',
  group: 'Errors',
  title: 'an unknown route is a 404',
  description: 'A path nothing serves is answered 404 (or 401/403 by an API that asks for credentials first).',
  severity: 'low',
  fix: { text: 'End the middleware stack with a 404 handler and an error handler of your own', file: 'src/app.ts' },
  async run(context) {
    const exchange = await context.shared('not-found');
    const { status } = exchange.response;
    const head = describeExchange(exchange);
    if ([401, 403, 404, 410].includes(status)) return pass(head);
    if (isLimited(exchange)) return skipped(`${head}: rate limited`);
    if (status >= 500) return fail(`${head}: a path nothing serves became a server error`, { fix: SERVER_ERROR_FIX });
    return warn(`${head}: ${status < 400 ? 'an unknown path was served (a catch-all route?)' : 'expected 404'}`);
  },
};

/** A method no route of the path serves, never DELETE (check sends nothing that could remove data). */
function unlistedMethod(context: ProbeContext, path: string): string | undefined {
  const listed = new Set(context.plan.operations.filter((operation) => operation.path === path).map((operation) => operation.method));
  return ['PATCH', 'PUT'].find((method) => !listed.has(method));
}

const WRONG_METHOD_CHECK: Check = {
  id: 'errors/wrong-method',
  group: 'Errors',
  title: 'a wrong method is a 405',
  description: 'A method a known path does not serve (PATCH, with no body) is answered 405 with Allow.',
  severity: 'low',
  fix: { text: "Answer a known path's other methods with 405 and an Allow header", file: 'src/http/method-not-allowed.ts' },
  async run(context) {
    const judged: { exchange: Exchange; verdict: 'pass' | 'warn' | 'fail'; note: string }[] = [];
    for (const path of context.plan.paths) {
      const method = unlistedMethod(context, path);
      if (!method) continue;
      const exchange = await context.send({ method, path, headers: { accept: 'application/json', ...(context.plan.allowedOrigin ? { origin: context.plan.allowedOrigin } : {}) } });
      const { status, headers } = exchange.response;
      if (isLimited(exchange)) continue;
      if (status === 405) judged.push({ exchange, verdict: headers.allow ? 'pass' : 'warn', note: headers.allow ? `Allow: ${headers.allow}` : 'no Allow header' });
      else if (status === 401 || status === 403) judged.push({ exchange, verdict: 'pass', note: 'asks for credentials first' });
      else if (status >= 500) judged.push({ exchange, verdict: 'fail', note: 'a server error' });
      else if (status < 300) judged.push({ exchange, verdict: 'warn', note: `the path serves ${method}` });
      else judged.push({ exchange, verdict: 'warn', note: 'expected 405 with Allow' });
    }
    if (judged.length === 0) return skipped('every answer was rate limited');
    const verdict = worst(judged.map((each) => each.verdict));
    const shown = verdict === 'pass' ? judged : judged.filter((each) => each.verdict === verdict);
    const evidence = listed(shown.map(({ exchange, note }) => `${describeExchange(exchange)} (${note})`), 3);
    const path = shown[0]?.exchange.request.path;
    if (verdict === 'fail') return fail(evidence, { path, fix: SERVER_ERROR_FIX });
    return verdict === 'warn' ? warn(evidence, { path }) : pass(evidence);
  },
};

/** Statuses an error handler (or the framework's default one) answers: where a default page shows. */
const isErrorAnswer = ({ response }: Exchange) => [400, 404, 405, 413, 415, 500].includes(response.status) || response.status > 500;

/** The fix for internals shown by a handler other than Express's default one. */
const OWN_HANDLER_FIX = 'Answer errors from a handler of your own that sends a fixed message per status and logs the rest';

/**
 * Internals in any error response of the run: a stack trace, a server path, an internal error's
 * name. The worst an error page can do, whatever the status was.
 */
const INTERNALS_CHECK: Check = {
  id: 'errors/internals',
  group: 'Error pages',
  title: 'errors show no internals',
  description: "No error response shows a stack trace, a file path on the server, node_modules, an internal error's name or message, the database's own error or a service's address.",
  severity: 'high',
  fix: {
    text: `${OWN_HANDLER_FIX}; Express's default handler prints the stack whenever NODE_ENV is not production`,
    file: 'src/http/error-handler.ts',
  },
  async run(context) {
    const errors = context.exchanges().filter(({ response }) => response.status >= 400);
    const found = errors.flatMap((exchange) => findLeaks(exchange.response.body, exchange.response.status).map((leak) => ({ exchange, leak })));
    if (found.length === 0) return pass(`${errors.length} error responses: no stack, file path or internal error name`);
    // Express's default handler is named as the cause only where its page shows: a Koa, Fastify or
    // hand-written handler that passes a stack on is another's.
    const expressPage = found.some(({ exchange }) => findFingerprints(exchange.response.body, exchange.response.status).some(({ what }) => what === "Express's default error page"));
    return fail(`${listed(found.map(({ leak }) => `${leak.what}: "${leak.excerpt}"`), 2)} in ${listed(found.map(({ exchange }) => describeExchange(exchange)))}`, {
      path: found[0]?.exchange.request.path,
      ...(expressPage ? {} : { fix: OWN_HANDLER_FIX }),
    });
  },
};

/**
 * The framework's own error page, or an HTML one: the status can be right while the page names the
 * framework (a fingerprint) and is not what an API client can read. Its own low finding, so that a
 * correct 400 or 413 still passes its status check.
 */
const DEFAULT_PAGE_CHECK: Check = {
  id: 'errors/default-page',
  group: 'Error pages',
  title: 'errors are JSON, not a default page',
  description: "Error responses are JSON (a problem+json body), not the framework's default HTML page that names it.",
  severity: 'low',
  fix: { text: 'Answer every error with a JSON problem (application/problem+json) from a 404 handler and an error handler of your own', file: 'src/http/error-handler.ts' },
  async run(context) {
    const errors = context.exchanges().filter(isErrorAnswer);
    const found = errors.flatMap((exchange) => {
      const proxy = answeredByProxy(exchange.response);
      if (proxy) return [{ exchange, note: `${proxy}'s own error page`, cause: 'proxy' }];
      const fingerprint = findFingerprints(exchange.response.body, exchange.response.status)[0];
      const type = exchange.response.headers['content-type']?.split(';')[0];
      if (fingerprint) return [{ exchange, note: `${fingerprint.what}: "${fingerprint.excerpt}"`, cause: isParserSign(fingerprint) ? 'parser' : 'app' }];
      if (exchange.response.body.length > 0 && !isJsonType(type)) return [{ exchange, note: `${type ?? 'no content type'}, not JSON`, cause: 'app' }];
      return [];
    });
    if (found.length === 0) return pass(`${errors.length} error responses, all JSON or empty`);
    const evidence = `${listed(found.map(({ note }) => note), 2)} in ${listed(found.map(({ exchange }) => describeExchange(exchange)))}`;
    const causes = new Set(found.map(({ cause }) => cause));
    const path = found[0]?.exchange.request.path;
    // A proxy's page is fixed text that names only the proxy (its version is headers/powered-by's
    // finding): HTML an API client cannot read, not a leak, and the app behind it is right.
    if (causes.size === 1 && causes.has('proxy')) return warn(evidence, { path, fix: PROXY_PAGE_FIX, fixInProxy: true });
    const fix = causes.size === 1 && causes.has('parser') ? PARSER_MESSAGE_FIX : undefined;
    return fail(evidence, { path, ...(fix ? { fix } : {}) });
  },
};

export const ERROR_CHECKS: readonly Check[] = [...BODY_PROBES.map(bodyCheck), UNKNOWN_ROUTE_CHECK, WRONG_METHOD_CHECK];

/** Read every response of the run: they run after the probes that send. */
export const ERROR_PAGE_CHECKS: readonly Check[] = [INTERNALS_CHECK, DEFAULT_PAGE_CHECK];
