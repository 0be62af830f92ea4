import type { SentRequest } from '../client.ts';
import { describeExchange, type Exchange, type ProbeContext } from '../context.ts';
import { fail, pass, skipped, warn, type Check, type Outcome } from '../model.ts';

/**
 * Headers a client can write to claim another address. Behind no proxy (or with `trust proxy` set to
 * the right number of hops) none of them may change who the API thinks is asking; with `trust proxy`
 * true, or a key taken from X-Real-IP, each request gets a fresh count. Addresses are from the ranges
 * reserved for documentation (RFC 5737).
 */
const FORGED: readonly { header: string; value: (n: number) => string }[] = [
  { header: 'x-forwarded-for', value: (n) => `198.51.100.${n}` },
  { header: 'x-real-ip', value: (n) => `203.0.113.${n}` },
  { header: 'forwarded', value: (n) => `for=192.0.2.${n}` },
];
const TRIES_PER_HEADER = 2;

/**
 * Requests without a 429 after which a path counts as unlimited. A login or sign-up limit is a handful
 * per window and even a global one is rarely above a hundred a minute; fewer than this (a low
 * --max-requests) cannot tell a missing limit from a generous one.
 */
const UNLIMITED_AFTER = 100;

interface LimitRun {
  readonly sentUntilLimited: number;
  /** The first 429, if one came within the cap. */
  readonly limited: Exchange | undefined;
  readonly forged: readonly { header: string; value: string; exchange: Exchange }[];
}

/** Requests until 429, then the forged ones: one run, shared by the three rate-limit checks. */
function limitRun(context: ProbeContext, limit: NonNullable<ProbeContext['plan']['limit']>): Promise<LimitRun> {
  return context.once('rate-limit', async () => {
    const request = (extra: Record<string, string> = {}): SentRequest => ({
      method: limit.method,
      path: limit.path,
      headers: { accept: 'application/json', ...(limit.body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
      ...(limit.body === undefined ? {} : { body: limit.body }),
    });
    const reserve = FORGED.length * TRIES_PER_HEADER;
    let sentUntilLimited = 0;
    let limited: Exchange | undefined;
    while (!limited && context.remaining() > reserve) {
      const exchange = await context.send(request());
      sentUntilLimited += 1;
      if (exchange.response.status === 429) limited = exchange;
    }
    const forged: LimitRun['forged'][number][] = [];
    if (limited) {
      for (const { header, value } of FORGED) {
        for (let n = 1; n <= TRIES_PER_HEADER; n += 1) {
          const forgedValue = value(10 + forged.length);
          forged.push({ header, value: forgedValue, exchange: await context.send(request({ [header]: forgedValue })) });
        }
      }
    }
    return { sentUntilLimited, limited, forged };
  });
}

const NO_LIMIT_PATH = 'no --limit-path given: name a rate-limited path (and --limit-method) to probe it';

function rateLimitCheck(check: Omit<Check, 'run' | 'group'>, judge: (run: LimitRun, context: ProbeContext) => Outcome): Check {
  return {
    ...check,
    group: 'Rate limit',
    async run(context) {
      const limit = context.plan.limit;
      if (!limit) return skipped(NO_LIMIT_PATH);
      return judge(await limitRun(context, limit), context);
    },
  };
}

const FIX_FILE = 'src/security/rate-limit.ts';

export const RATE_LIMIT_CHECKS: readonly Check[] = [
  rateLimitCheck(
    {
      id: 'rate-limit/reached',
      title: 'the rate limit answers 429',
      description: 'Requests from one client to the named path are answered 429 once its limit is used up.',
      fix: { text: 'Put a per-client limit on the path (express-rate-limit), stricter on authentication routes', file: FIX_FILE },
    },
    (run, context) => {
      const { method, path } = context.plan.limit ?? { method: '', path: '' };
      if (run.limited) return pass(`${method} ${path} → 429 after ${run.sentUntilLimited} requests`);
      if (run.sentUntilLimited < UNLIMITED_AFTER) {
        return skipped(`${method} ${path}: no 429 after ${run.sentUntilLimited} requests, all the cap left: too few to tell (raise --max-requests)`);
      }
      return fail(`${method} ${path}: no 429 after ${run.sentUntilLimited} requests: no limit on this path, or one too generous to protect it`);
    },
  ),
  rateLimitCheck(
    {
      id: 'rate-limit/forged-headers',
      title: 'forged headers keep the limit',
      description: 'Once limited, requests with a fresh X-Forwarded-For, X-Real-IP or Forwarded header are still answered 429.',
      fix: {
        text: "Key clients by req.ip with `trust proxy` set to the number of proxies in front of the app (never true), not by a header the client writes",
        file: FIX_FILE,
      },
    },
    (run) => {
      if (!run.limited) return skipped('no 429 came back, so there was no limit to escape');
      if (run.forged.length === 0) return skipped('the request cap was reached before the forged requests');
      const escaped = run.forged.filter(({ exchange }) => exchange.response.status !== 429);
      if (escaped.length > 0) {
        const names = [...new Set(escaped.map(({ header, value, exchange }) => `${header}: ${value} → ${exchange.response.status}`))];
        return fail(`a forged header gave a fresh limit: ${names.join(', ')}`);
      }
      return pass(`${run.forged.length} requests with a fresh X-Forwarded-For, X-Real-IP or Forwarded → 429 each`);
    },
  ),
  rateLimitCheck(
    {
      id: 'rate-limit/headers',
      title: 'the 429 says when to retry',
      description: 'The 429 carries Retry-After, and the IETF RateLimit headers tell clients how much is left.',
      fix: { text: "Send Retry-After with every 429 and the IETF RateLimit headers (express-rate-limit: standardHeaders 'draft-8')", file: FIX_FILE },
    },
    (run) => {
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
