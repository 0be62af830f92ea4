import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options, type RateLimitInfo, type RateLimitRequestHandler } from 'express-rate-limit';
import type { RateLimitRule } from '../config.ts';
import { HttpError } from '../http/http-error.ts';
import type { Logger } from '../log.ts';
import { ServiceUnavailable } from '../service-health.ts';
import type { RateLimitStores } from './rate-limit-store.ts';

/** How much higher the ceilings on failed logins are than RATE_LIMIT_AUTH (see loginRateLimits). */
const ACCOUNT_CEILING = 10;
const ADDRESS_CEILING = 4;

export interface LimiterContext {
  readonly logger: Logger;
  readonly stores: RateLimitStores;
}

/** The client's address as a key: IPv6 clients are grouped by /56, since one client usually holds a block. */
const addressKey = (req: Request) => ipKeyGenerator(req.ip ?? '', 56);

function limiter(name: string, rule: RateLimitRule, { logger, stores }: LimiterContext, options: Partial<Options> = {}): RequestHandler {
  return rateLimit({
    windowMs: rule.windowMs,
    limit: rule.max,
    // The IETF `RateLimit` and `RateLimit-Policy` headers (draft 8), named after the policy, tell
    // well-behaved clients how much is left; `Retry-After` comes with every 429.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    store: stores(name),
    keyGenerator: addressKey,
    // The 429 is a problem+json like every other error, with the security headers already set.
    handler: (_req, _res, next) => {
      next(new HttpError(429, 'Too many requests: wait for the number of seconds in Retry-After.'));
    },
    // The library's configuration warnings (such as an X-Forwarded-For header arriving while
    // TRUST_PROXY is 0, meaning a proxy nobody told us about) go to the log, not to stderr.
    logger: {
      warn: (error, message) => {
        logger.warn({ err: error }, message ?? 'express-rate-limit warning');
      },
      error: (error, message) => {
        // Only the global tier passes store errors on (passOnStoreError): the request went through.
        if (error instanceof ServiceUnavailable) {
          logger.warn({ tier: name, err: error.cause }, 'rate-limit store unreachable: request allowed without counting');
          return;
        }
        logger.error({ err: error }, message ?? 'express-rate-limit error');
      },
    },
    ...options,
  });
}

/**
 * The global tier: every route except the health checks, per client address. Clients are keyed by
 * `req.ip`, which is only right when `trust proxy` is the number of proxies in front of the app (see
 * app.ts): with `true`, anyone can pick their own address, and with it a fresh limit, by sending an
 * `X-Forwarded-For` header. `req.ip` is the bare address, without a port (http/client-address.ts).
 *
 * With a shared store that becomes unreachable it fails open: requests pass uncounted, each with a
 * warning in the log. An outage of the store must not become an outage of the whole API; the tiers
 * that guard accounts fail closed instead (a 503).
 */
export function globalRateLimit(rule: RateLimitRule, context: LimiterContext): RequestHandler {
  return limiter('global', rule, context, { passOnStoreError: true });
}

/**
 * Sign-ups per address, with the auth tier's limit: each one costs a password hash (tens of
 * milliseconds of CPU and MiB of memory), so they are few. It runs after validation, so requests that
 * never became a sign-up (malformed, not JSON, too large) cost nothing. Every other one counts, the
 * ones turned away because hashing was busy (503) too: free retries would let one address keep the
 * hashing cap full, and every other user's login waiting.
 */
export function signUpRateLimit(rule: RateLimitRule, context: LimiterContext): RequestHandler {
  return limiter('signup', rule, context);
}

/**
 * Failed logins, counted three ways. Only a wrong password counts (a 401 from login, a 403 from a
 * password change with a wrong current password): a successful login, and a
 * request refused before it was an attempt (415, 413, malformed JSON, a validation error: they never
 * reach these limiters), cost nothing, so a hostile page firing requests from a visitor's browser
 * cannot spend the visitor's budget.
 *
 * - `login`: per account and address, RATE_LIMIT_AUTH. Guessing one account's password from one
 *   address stops quickly; a stranger's failures from their address never lock the owner out of theirs.
 * - `login-account`: per account from all addresses, ACCOUNT_CEILING times higher: it slows guessing
 *   spread over many addresses (a botnet) without letting one address lock anyone out.
 * - `login-address`: per address over all accounts, ADDRESS_CEILING times higher: it slows one address
 *   trying one password on many accounts (credential stuffing).
 *
 * The account is `req.account`, its keyed hash (set by tryingAccount(), auth/account-hash.ts), never
 * the email, so no email reaches the store (Redis keys included) or the log.
 */
export function loginRateLimits(rule: RateLimitRule, context: LimiterContext): RequestHandler[] {
  const accountOf = (req: Request) => req.account ?? '';
  const wrongPassword = (status: number) => status === 401 || status === 403;
  const failuresOnly: Partial<Options> = { skipSuccessfulRequests: true, requestWasSuccessful: (_req, res) => !wrongPassword(res.statusCode) };
  const loggingHits = (tier: string): Partial<Options> => ({
    ...failuresOnly,
    handler: (req, _res, next) => {
      context.logger.warn({ event: 'login_limited', tier, account: accountOf(req), address: req.ip }, 'failed logins over the limit');
      const { resetTime } = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit ?? {};
      const resetsAt = resetTime?.getTime() ?? Date.now() + rule.windowMs;
      const retryAfter = String(Math.max(1, Math.ceil((resetsAt - Date.now()) / 1000)));
      next(new HttpError(429, 'Too many failed sign-in attempts: wait for the number of seconds in Retry-After.', { headers: { 'Retry-After': retryAfter } }));
    },
  });
  // The ceilings count everyone's failures, not the caller's: their headers would tell anyone how many
  // times an account, or an address, has been tried. They say only Retry-After, when they refuse.
  const quiet: Partial<Options> = { standardHeaders: false };
  const times = (factor: number): RateLimitRule => ({ max: rule.max * factor, windowMs: rule.windowMs });
  return [
    limiter('login', rule, context, { ...loggingHits('login'), keyGenerator: (req) => `${accountOf(req)}:${addressKey(req)}` }),
    limiter('login-account', times(ACCOUNT_CEILING), context, { ...loggingHits('login-account'), ...quiet, keyGenerator: accountOf }),
    limiter('login-address', times(ADDRESS_CEILING), context, { ...loggingHits('login-address'), ...quiet }),
  ];
}

/**
 * Forgets the failed logins counted against `req.account`: from every address (`login-account`) and
 * from this request's (`login`), the keys loginRateLimits() counts them under. A password reset
 * proved the owner (src/routes/accounts.ts), who must not meet a ceiling a stranger filled.
 */
export async function forgetFailedLogins(loginLimits: readonly RequestHandler[], req: Request): Promise<void> {
  const account = req.account ?? '';
  for (const limit of loginLimits) {
    // express-rate-limit's resetKey is its store's, which returns a promise for a shared store.
    const resetKey = (limit as Partial<RateLimitRequestHandler>).resetKey as ((key: string) => Promise<void> | void) | undefined;
    for (const key of [account, `${account}:${addressKey(req)}`]) await resetKey?.(key);
  }
}
