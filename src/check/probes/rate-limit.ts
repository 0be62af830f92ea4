import type { ReceivedResponse, SentRequest } from '../client.ts';
import { describeExchange, type Exchange, type ProbeContext } from '../context.ts';
import { fail, pass, skipped, warn, type Check, type Outcome } from '../model.ts';
import { answeredByProxy, isLimited, proxyIn } from '../proxy.ts';

/**
 * Whether a client can choose the address a rate limit counts it under. Two ways to tell a fresh
 * count from the client's own: once the limit answers 429, a request that does not is a fresh count;
 * and on any response that counts down (RateLimit-Remaining and the like), a request whose remaining
 * did not go down is one. Addresses are from the ranges reserved for documentation (RFC 5737), fixed
 * so that two runs send the same thing.
 */
const FORGED_XFF = '198.51.100.10';
const LEFT = '198.51.100.20';
const right = (n: number) => `198.51.100.${30 + n}`;
/** Left entries put before check's own address, to see whether the app believes a hop from it. */
const beforeOwn = (n: number) => `203.0.113.${100 + n}`;
const OTHER_HEADERS: readonly { header: string; value: string }[] = [
  { header: 'x-real-ip', value: '203.0.113.10' },
  { header: 'forwarded', value: 'for=192.0.2.10' },
];

/**
 * Requests without a 429 after which a path counts as unlimited. A login or sign-up limit is a handful
 * per window and even a global one is rarely above a hundred a minute; fewer than this (a low
 * --max-requests) cannot tell a missing limit from a generous one.
 */
const UNLIMITED_AFTER = 100;
/** At most this many requests to learn which X-Forwarded-For entry a 429-only limit keys on. */
const MAX_ENTRY_PROBE = 30;
/** Kept back while counting to 429, for the forged requests that follow. */
const RESERVE = 6;

/** What is left of the limit, from the IETF RateLimit headers (draft 8, or 6/7) or the older X-RateLimit-Remaining. */
export function remainingOf(response: ReceivedResponse): number | undefined {
  const { headers } = response;
  const combined = headers.ratelimit === undefined ? undefined : /(?:^|[;,\s])(?:r|remaining)=(\d+)/.exec(headers.ratelimit)?.[1];
  const value = combined ?? headers['ratelimit-remaining'] ?? headers['x-ratelimit-remaining'];
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

type Keying =
  | { kind: 'own' }
  | { kind: 'header'; header: string; value: string; exchange: Exchange }
  | { kind: 'leftmost'; evidence: string }
  | { kind: 'rightmost'; evidence: string; own: string | undefined; ownTrusted: boolean | undefined }
  | { kind: 'unknown'; evidence: string }
  | { kind: 'window-passed'; evidence: string };

interface LimitRun {
  /** Why the limit could not be probed (the path answered 404, say), or undefined. */
  readonly unusable: string | undefined;
  readonly first: Exchange | undefined;
  readonly sentUntilLimited: number;
  readonly limited: Exchange | undefined;
  readonly keying: Keying | undefined;
}

/** A request to the counted path, with extra (forged) headers. */
type Counted = (extra?: Record<string, string>) => Promise<Exchange>;

/** How one limit shows a count: whether a request got a fresh one, and whether the client's own went on. */
interface Counting {
  readonly fresh: (exchange: Exchange) => boolean;
  /**
   * After a forged request that got a fresh count, a plain one: true when it still counts on the
   * client's own, so the forged one was counted apart; false when the own count started over too,
   * as it does when the limit's window ends (every second, for a per-second limit) mid-probe.
   */
  readonly ownCountWentOn: (forged: Exchange) => Promise<boolean>;
}

/**
 * Whether requests with the X-Forwarded-For that `entries(n)` makes share one count (true), get a
 * fresh one each (false), or cannot be told apart (undefined).
 */
type SameKey = (entries: (n: number) => string) => Promise<boolean | undefined>;

/**
 * Which address the limit counts: the client's own, one of the headers it wrote, and for
 * X-Forwarded-For which entry. A fresh count is believed only when a plain request right after it
 * shows the client's own count going on: a window that ends in between looks the same otherwise.
 */
async function findKeying(send: Counted, counting: Counting, sameKey: SameKey, own: string | undefined): Promise<Keying> {
  const apart = async (exchange: Exchange, what: string): Promise<boolean | Keying> => {
    if (!counting.fresh(exchange)) return false;
    if (await counting.ownCountWentOn(exchange)) return true;
    return { kind: 'window-passed', evidence: `${what} → ${exchange.response.status}, a fresh count, but a plain request right after got one too: the limit's window ended in between` };
  };
  for (const { header, value } of OTHER_HEADERS) {
    const exchange = await send({ [header]: value });
    const seen = await apart(exchange, `${header}: ${value}`);
    if (seen === true) return { kind: 'header', header, value, exchange };
    if (seen !== false) return seen;
  }
  const single = await send({ 'x-forwarded-for': FORGED_XFF });
  const seen = await apart(single, `X-Forwarded-For: ${FORGED_XFF}`);
  if (seen === false) return { kind: 'own' };
  if (seen !== true) return seen;
  // The address is chosen by the client. With `X-Forwarded-For: L, R` a limit that trusts one proxy
  // hop keys on R, the entry its proxy would have appended; one that trusts any (`trust proxy` true)
  // or more hops than there are proxies keys on L. Keep L, change R: the same count means L.
  const same = await sameKey((n) => `${LEFT}, ${right(n)}`);
  const head = `X-Forwarded-For: ${FORGED_XFF} → ${single.response.status}`;
  if (same === undefined) return { kind: 'unknown', evidence: head };
  if (same) return { kind: 'leftmost', evidence: `${head}; X-Forwarded-For: ${LEFT}, <changing> kept one count: the limit keys on the leftmost entry, which the client writes` };
  // One hop too many. An app that believes hops by address range ('loopback', a private range) also
  // believes check itself when it scans from inside the range: change L before check's own address.
  const ownSame = own === undefined ? undefined : await sameKey((n) => `${beforeOwn(n)}, ${own}`);
  const ownTrusted = ownSame === undefined ? undefined : !ownSame;
  const ownNote = ownTrusted === undefined ? '' : `; X-Forwarded-For: <changing>, ${own} (check's own address) ${ownTrusted ? 'got a fresh count each time too' : 'kept one count'}`;
  return {
    kind: 'rightmost',
    evidence: `${head}; X-Forwarded-For: ${LEFT}, <changing> got a fresh count each time: the limit keys on the entry a proxy would have appended${ownNote}`,
    own,
    ownTrusted,
  };
}

/** Whether two answers were counted together (the second has less left), when both say what is left. */
function oneCount(first: Exchange, second: Exchange): boolean | undefined {
  const before = remainingOf(first.response);
  const after = remainingOf(second.response);
  return before === undefined || after === undefined ? undefined : after < before;
}

/** On a path that counts down: a request whose remaining did not go down got a fresh count. */
async function keyingByCountdown(send: Counted, start: number, ownAddress: string | undefined): Promise<Keying> {
  let own = start;
  const fresh = (exchange: Exchange) => {
    const remaining = remainingOf(exchange.response);
    if (remaining === undefined || remaining < own) {
      own = remaining ?? own - 1;
      return false;
    }
    return true;
  };
  // Counted apart, the forged request left the own count where it was: the plain one goes below it.
  // In a window that started over, the plain one goes on from the forged one's count instead.
  const ownCountWentOn = async (forged: Exchange) => {
    const before = own;
    const plain = remainingOf((await send()).response);
    if (plain !== undefined) own = plain;
    return plain !== undefined && plain < before && plain !== (remainingOf(forged.response) ?? Number.NaN) - 1;
  };
  const sameKey: SameKey = async (entries) => oneCount(await send({ 'x-forwarded-for': entries(1) }), await send({ 'x-forwarded-for': entries(2) }));
  return findKeying(send, { fresh, ownCountWentOn }, sameKey, ownAddress);
}

/**
 * Once the limit answers 429: a request that does not got a fresh count. To learn which
 * X-Forwarded-For entry is the key: if the answers count down, two requests with the same left entry
 * tell; if not, the same left entry is sent until the limit answers 429 (at most `limitAfter` + 1
 * requests, `limitAfter` being the most the limit can be; or MAX_ENTRY_PROBE when the limit was used
 * up before the run and its size is unknown). No 429 within them is a fresh count each time.
 */
async function keyingByLimit(context: ProbeContext, send: Counted, limitAfter: number | undefined, unlimitedStatus: number | undefined): Promise<Keying> {
  // A fresh count answers as the path did before its limit (a 401 for a failed login): a 400 or 403
  // to a forged header is a refusal of the header, not a way around the limit.
  const fresh = (exchange: Exchange) => !isLimited(exchange) && (unlimitedStatus === undefined || exchange.response.status === unlimitedStatus);
  const ownCountWentOn = async () => isLimited(await send());
  const sameKey: SameKey = async (entries) => {
    const forwarded = (n: number) => send({ 'x-forwarded-for': entries(n) });
    const first = await forwarded(1);
    if (isLimited(first)) return true;
    const second = await forwarded(2);
    if (isLimited(second)) return true;
    const counted = oneCount(first, second);
    if (counted !== undefined) return counted;
    const tries = Math.min(limitAfter === undefined ? MAX_ENTRY_PROBE : limitAfter + 1, MAX_ENTRY_PROBE);
    for (let n = 3; n <= tries; n += 1) {
      if (context.remaining() === 0) return undefined;
      if (isLimited(await forwarded(n))) return true;
    }
    return limitAfter === undefined || limitAfter + 1 > MAX_ENTRY_PROBE ? undefined : false;
  };
  return findKeying(send, { fresh, ownCountWentOn }, sameKey, context.localAddress());
}

/** A body with its request's path and method taken out, to compare two answers to different requests. */
const shapeOf = ({ request, response }: Exchange): string =>
  `${response.headers['content-type'] ?? ''}\n${response.body.replaceAll(request.path, '<path>').replaceAll(request.method, '<method>')}`;

/**
 * Why the limit path cannot be probed, or undefined. A 404 is "not a route" only when it looks like the
 * API's answer to a path it does not have: a login that answers 404 for an unknown account is a route.
 */
async function unusableAnswer(context: ProbeContext, exchange: Exchange): Promise<string | undefined> {
  const { status, headers } = exchange.response;
  const head = describeExchange(exchange);
  if (status >= 300 && status < 400) return `${head}${headers.location ? ` to ${headers.location}` : ''}: redirects are not followed; give the final path`;
  const notARoute = `${head}: not a route of the API; give --limit-path (and --limit-method) a route it serves`;
  if (status === 405) return notARoute;
  if (status === 404 && shapeOf(exchange) === shapeOf(await context.shared('not-found'))) return notARoute;
  if (status >= 500 && !isLimited(exchange)) return `${head}: the limit path fails on its own; check it before its limit`;
  return undefined;
}

/** With --limit-path: requests until 429, then the forged ones. Shared by the three rate-limit checks. */
function limitRun(context: ProbeContext): Promise<LimitRun> {
  return context.once('rate-limit', async () => {
    const limit = context.plan.limit;
    if (!limit) return { unusable: undefined, first: undefined, sentUntilLimited: 0, limited: undefined, keying: undefined };
    const send: Counted = (extra = {}) => {
      const request: SentRequest = {
        method: limit.method,
        path: limit.path,
        headers: {
          accept: 'application/json',
          ...(limit.body === undefined ? {} : { 'content-type': 'application/json', ...(context.plan.allowedOrigin ? { origin: context.plan.allowedOrigin } : {}) }),
          ...extra,
        },
        ...(limit.body === undefined ? {} : { body: limit.body }),
      };
      return context.send(request);
    };
    const first = await send();
    const unusable = await unusableAnswer(context, first);
    if (unusable) return { unusable, first, sentUntilLimited: 1, limited: undefined, keying: undefined };
    let sentUntilLimited = 1;
    let limited = isLimited(first) ? first : undefined;
    while (!limited && context.remaining() > RESERVE) {
      const exchange = await send();
      sentUntilLimited += 1;
      if (isLimited(exchange)) limited = exchange;
    }
    // Limited from the first request on (an earlier run used it up): the limit's size is unknown.
    // Otherwise it is at most the requests of the run so far: an app-wide limit counted every one of
    // them, not only those sent to this path.
    const sentInRun = context.options.maxRequests - context.remaining();
    const before = limited === first ? undefined : first;
    const keying = limited ? await keyingByLimit(context, send, before && sentInRun, before?.response.status) : undefined;
    return { unusable: undefined, first, sentUntilLimited, limited, keying };
  });
}

/**
 * Without --limit-path: a GET of the run whose answer counts down a limit (the first URL's, else any,
 * such as an API-wide limit that spares /healthz), sent again. Two plain requests show that the count
 * is per client; then the forged ones.
 */
function countdownRun(context: ProbeContext): Promise<{ keying: Keying | undefined; where: string; why: string }> {
  return context.once('rate-limit-countdown', async () => {
    const first = await context.success(context.plan.successPaths[0] ?? '/');
    const counted = [first, ...context.exchanges()].find(({ request, response }) => request.method === 'GET' && response.status !== 429 && remainingOf(response) !== undefined);
    if (!counted) {
      return { keying: undefined, where: '', why: 'no --limit-path given, and no answer carried RateLimit-Remaining (or RateLimit, X-RateLimit-Remaining): name a rate-limited path (--limit-path) to probe it' };
    }
    const { path } = counted.request;
    const send: Counted = (extra = {}) => context.send({ method: 'GET', path, headers: { accept: 'application/json', ...extra } });
    const before = remainingOf((await send()).response);
    const again = await send();
    const next = remainingOf(again.response);
    const where = `GET ${path} (RateLimit headers)`;
    if (again.response.status === 429) return { keying: undefined, where, why: `GET ${path} → 429: its limit is used up; run again when its window has passed` };
    if (before === undefined || next === undefined || next >= before) {
      return { keying: undefined, where, why: `GET ${path}: RateLimit remaining ${before ?? 'none'}, then ${next ?? 'none'}: it does not count this client down` };
    }
    return { keying: await keyingByCountdown(send, next, context.localAddress()), where, why: '' };
  });
}

function rateLimitCheck(check: Omit<Check, 'run' | 'group'>, judge: (run: LimitRun, context: ProbeContext) => Outcome | Promise<Outcome>): Check {
  return {
    ...check,
    group: 'Rate limit',
    async run(context) {
      const run = await limitRun(context);
      if (run.unusable) return skipped(run.unusable);
      return judge(run, context);
    },
  };
}

const FIX_FILE = 'src/security/rate-limit.ts';

/**
 * A status the limit path gave every time that says the probe was turned away before it was an
 * attempt: a limit behind the refusal never counted it. A CSRF check in front of a login (csrf-csrf,
 * csurf) refuses a request without its token with 403, and anyone can fetch a token first.
 */
const REFUSED_BODY = 'the body was refused before anything counted it: give --limit-body an attempt the API counts, such as a failed login';
const NEVER_AN_ATTEMPT: Readonly<Record<number, string>> = {
  400: REFUSED_BODY,
  422: REFUSED_BODY,
  403: 'refused before anything counted it (a CSRF check, or a credential the probe lacks, in front of the limit), and a client that passes it (anyone can fetch a CSRF token) may meet a limit or none: name a path the limit counts without it',
};

/** `proxy`: the proxy the answers came through, as it names itself, if they show one. */
function judgeKeying(keying: Keying, where: string, proxy: string | undefined): Outcome {
  switch (keying.kind) {
    case 'own':
      return pass(`${where}: forged X-Forwarded-For, X-Real-IP and Forwarded kept the client's own count`);
    case 'header':
      return fail(`${where}: ${keying.header}: ${keying.value} → ${keying.exchange.response.status}, a fresh count: the limit keys on a header the client writes`, {
        fix: 'Key clients by req.ip (with `trust proxy` set to the number of proxies in front), never by a header such as X-Real-IP that a client can send',
      });
    case 'leftmost':
      return fail(`${where}: ${keying.evidence}`, {
        fix: 'Set `trust proxy` to the exact number of proxies in front of the app (never true): with more, req.ip is an address the client wrote',
      });
    case 'rightmost':
      if (keying.ownTrusted) {
        return warn(
          `${where}: ${keying.evidence}: the app believes any hop that comes from check's own address (${keying.own}), as \`trust proxy\` 'loopback' or a list of address ranges does; from another machine the limit may key on the client's address, as it should, or not (if the proxy in front passes X-Forwarded-For on without appending): only a scan from outside those ranges tells`,
          { severity: 'medium', fix: 'Scan from a machine outside the ranges `trust proxy` believes (a client of the proxy, not its neighbour); believe only the proxies\' own addresses, or their number' },
        );
      }
      if (proxy && keying.ownTrusted === false) {
        return fail(
          `${where}: ${keying.evidence}: through ${proxy}, and a hop from check's own address (${keying.own}) is not believed, so this is no artifact of scanning from next door: any client of ${proxy} picks the address it is counted under: the proxy passes the client's X-Forwarded-For on without appending the address it sees, or \`trust proxy\` counts one proxy more than there are (if ${proxy} stands behind another proxy the app also counts, this holds for whoever reaches it directly)`,
          {
            fix: 'Make the proxy append the address it sees (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for) and set `trust proxy` to the exact number of proxies in front of the app',
          },
        );
      }
      // One trusted hop reached directly, and two behind one proxy, look the same from outside: say both.
      return warn(
        `${where}: ${keying.evidence}: the app trusts one proxy hop more than this request went through: it was reached without its proxy, or \`trust proxy\` counts more proxies than there are, or a proxy in front passes the client's X-Forwarded-For on without appending the address it sees (which one cannot be told from outside); either way a client that reaches it so picks its address`,
        {
          severity: 'medium',
          fix: 'Set `trust proxy` to the exact number of proxies in front of the app (0 with none), make each proxy append the address it sees (nginx: $proxy_add_x_forwarded_for), make the app reachable only through them (listen on a private address, or firewall it), and scan through them',
        },
      );
    case 'window-passed':
      return skipped(`${where}: ${keying.evidence}, so nothing tells a forged header from the window: run again (a limit whose window outlasts the probe, such as a login's, tells best)`);
    // A client that writes X-Forwarded-For gets a fresh count, but whether any client can (trust proxy
    // true) or only one that reaches the app without its proxy could not be told: a warning, as the
    // second is a correct setup scanned from the wrong side.
    case 'unknown':
      return warn(`${where}: ${keying.evidence}, a fresh count: X-Forwarded-For picks the address counted (whether its first entry or only the last one could not be told: no RateLimit headers, and no 429 within the requests left for it)`, {
        fix: 'Set `trust proxy` to the exact number of proxies in front of the app (never true), and make the app reachable only through them',
      });
  }
}

export const RATE_LIMIT_CHECKS: readonly Check[] = [
  rateLimitCheck(
    {
      id: 'rate-limit/reached',
      title: 'the rate limit answers 429',
      description: 'Requests from one client to the named path are answered 429 once its limit is used up.',
      severity: 'medium',
      fix: { text: 'Put a per-client limit on the path (express-rate-limit), stricter on authentication routes', file: FIX_FILE },
    },
    (run, context) => {
      const limit = context.plan.limit;
      if (!limit) return skipped('no --limit-path given: name a rate-limited path (and --limit-method) to probe it');
      const { method, path } = limit;
      const proxyPage = run.limited && run.limited.response.status !== 429 ? answeredByProxy(run.limited.response) : undefined;
      if (run.limited && proxyPage) {
        const when = run.limited === run.first ? 'from the first request' : `after ${run.sentUntilLimited} requests, ${run.first?.response.status} before`;
        return warn(
          `${method} ${path} → ${run.limited.response.status}, ${proxyPage}'s own page, ${when}: the proxy limits the path, but with ${run.limited.response.status}, which clients and their retries read as the server being down, not as a limit`,
          { severity: 'low', fix: 'Answer a used-up limit with 429 (nginx: limit_req_status 429)', fixInProxy: true },
        );
      }
      if (run.limited === run.first) return pass(`${method} ${path} → 429 from the first request: its limit was used up before (by the requests of this run before it, on an app-wide limit, or by an earlier run)`);
      if (run.limited) return pass(`${method} ${path} → ${run.first?.response.status}, then 429 after ${run.sentUntilLimited} requests`);
      if (run.sentUntilLimited < UNLIMITED_AFTER) {
        return skipped(`${method} ${path}: no 429 after ${run.sentUntilLimited} requests, all the cap left: too few to tell (raise --max-requests)`);
      }
      // Refused the same way every time: the probe never became an attempt, and a limit may count only those.
      const statuses = new Set(context.exchanges().filter(({ request }) => request.method === method && request.path === path).map(({ response }) => response.status));
      const [only] = statuses;
      const refusal = statuses.size === 1 && only !== undefined ? NEVER_AN_ATTEMPT[only] : undefined;
      if (refusal) return skipped(`${method} ${path}: no 429 after ${run.sentUntilLimited} requests, every one answered ${only}: ${refusal}`);
      return fail(`${method} ${path}: no 429 after ${run.sentUntilLimited} requests: no limit on this path, or one too generous to protect it`);
    },
  ),
  rateLimitCheck(
    {
      id: 'rate-limit/forged-headers',
      title: 'forged headers keep the count',
      description:
        'A client cannot choose the address its limit counts: requests with a forged X-Forwarded-For, X-Real-IP or Forwarded keep its own count. Seen on --limit-path once it answers 429, or on any response that counts down (RateLimit headers).',
      severity: 'high',
      fix: { text: 'Key clients by req.ip with `trust proxy` set to the number of proxies in front of the app (never true), not by a header the client writes', file: FIX_FILE },
    },
    async (run, context) => {
      const limit = context.plan.limit;
      if (limit) {
        if (!run.limited) return skipped('no 429 came back, so there was no limit to escape');
        if (!run.keying) return skipped('the request cap was reached before the forged requests');
        return judgeKeying(run.keying, `${limit.method} ${limit.path}`, proxyIn(context.exchanges()));
      }
      const countdown = await countdownRun(context);
      if (!countdown.keying) return skipped(countdown.why);
      return judgeKeying(countdown.keying, countdown.where, proxyIn(context.exchanges()));
    },
  ),
  rateLimitCheck(
    {
      id: 'rate-limit/retry-after',
      title: 'the 429 says when to retry',
      description: 'The 429 carries Retry-After, and the IETF RateLimit headers tell clients how much is left.',
      severity: 'low',
      fix: { text: "Send Retry-After with every 429 and the IETF RateLimit headers (express-rate-limit: standardHeaders 'draft-8')", file: FIX_FILE },
    },
    (run, context) => {
      if (!context.plan.limit) return skipped('no --limit-path given');
      if (!run.limited) return skipped('no 429 came back');
      const { headers } = run.limited.response;
      const rateLimitHeaders = Object.keys(headers).filter((name) => /^(?:x-)?ratelimit(?:-|$)/.test(name));
      const shown = [headers['retry-after'] === undefined ? undefined : `Retry-After: ${headers['retry-after']}`, ...rateLimitHeaders].filter(Boolean).join(', ');
      const head = describeExchange(run.limited);
      if (headers['retry-after'] !== undefined) return pass(`${head}: ${shown}`);
      if (rateLimitHeaders.length > 0) return warn(`${head}: ${shown}, but no Retry-After`);
      return fail(`${head}: neither Retry-After nor RateLimit headers`);
    },
  ),
];
