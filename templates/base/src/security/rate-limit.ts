import { createHash } from 'node:crypto';
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
/** How much higher than RATE_LIMIT_AUTH the ceiling on all logins from one address is, the successful ones included. */
const ATTEMPT_CEILING = 20;

export interface LimiterContext {
  readonly logger: Logger;
  readonly stores: RateLimitStores;
}

/**
 * The client's address as a key: IPv6 clients are grouped by /56, since one client usually holds a block.
 * `req.ip` is a bare IP address (http/client-address.ts), so one without a colon is IPv4, which
 * ipKeyGenerator returns unchanged: it is spared the IPv6 check, a long regular expression.
 */
export const addressKey = (req: Request): string => {
  const ip = req.ip ?? '';
  return ip.includes(':') ? ipKeyGenerator(ip, 56) : ip;
};

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
        // Only the global tier passes store errors on (passOnStoreError): the request went through. The
        // outage is logged once when it starts and once when it ends (service-health.ts), not per request.
        if (error instanceof ServiceUnavailable) {
          logger.debug({ tier: name }, 'rate-limit store unreachable: request allowed without counting');
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
 * With a shared store that becomes unreachable it fails open: requests pass uncounted, and the outage
 * is logged once when it starts and once when it ends. An outage of the store must not become an outage of the whole API; the tiers
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
 * Logins, counted by who can fill each count. Failures count (a 401 from login); a request refused
 * before it was an attempt (415, 413, malformed JSON, a validation error: they never reach these
 * limiters) costs nothing, so a hostile page firing requests from a visitor's browser cannot spend the
 * visitor's budget.
 *
 * From a known device (a valid device proof for the account, src/auth/device-proof.ts):
 * - `login-device`: per account and device proof, RATE_LIMIT_AUTH. A stolen proof gets a stranger's
 *   budget and no more, then is locked out itself; no stranger's failures ever reach this count.
 *
 * From anywhere else:
 * - `login`: per account and address, RATE_LIMIT_AUTH. Guessing one account's password from one
 *   address stops quickly; a stranger's failures from their address never lock the owner out of theirs.
 * - `login-account`: per account from all addresses, ACCOUNT_CEILING times higher: it caps guessing
 *   spread over many addresses (a botnet). Strangers can fill it, so it is the one a known device skips:
 *   the owner's browser or app keeps signing in; a new client waits out the window or resets the password.
 * - `login-address`: per address over all accounts, ADDRESS_CEILING times higher: it slows one address
 *   trying one password on many accounts (credential stuffing).
 *
 * And for every login, known device or not:
 * - `login-attempts`: per address, every login that reaches the password check, the successful ones
 *   too, ATTEMPT_CEILING times higher: each costs a hash, so one address cannot keep hashing busy by
 *   signing in over and over to an account of its own.
 *
 * The account is `req.account`, its keyed hash (set by tryingAccount(), auth/account-hash.ts), never
 * the email, so no email reaches the store (Redis keys included) or the log.
 */
export function loginRateLimits(rule: RateLimitRule, context: LimiterContext): RequestHandler[] {
  const accountOf = (req: Request) => req.account ?? '';
  const known = (req: Request) => req.device !== undefined;
  const failuresOnly: Partial<Options> = { skipSuccessfulRequests: true, requestWasSuccessful: (_req, res) => res.statusCode !== 401 };
  const refusing = (tier: string, message: string): Partial<Options> => ({ handler: tooMany(tier, message, rule, context) });
  const failures = (tier: string): Partial<Options> => ({ ...failuresOnly, ...refusing(tier, 'Too many failed sign-in attempts: wait for the number of seconds in Retry-After.') });
  // The ceilings count everyone's failures, not the caller's: their headers would tell anyone how many
  // times an account, or an address, has been tried. They say only Retry-After, when they refuse.
  const quiet: Partial<Options> = { standardHeaders: false };
  const times = (factor: number): RateLimitRule => ({ max: rule.max * factor, windowMs: rule.windowMs });
  return [
    limiter('login-device', rule, context, { ...failures('login-device'), skip: (req) => !known(req), keyGenerator: (req) => `${accountOf(req)}:${req.device ?? ''}` }),
    limiter('login', rule, context, { ...failures('login'), skip: known, keyGenerator: (req) => `${accountOf(req)}:${addressKey(req)}` }),
    limiter('login-account', times(ACCOUNT_CEILING), context, { ...failures('login-account'), ...quiet, skip: known, keyGenerator: accountOf }),
    limiter('login-address', times(ADDRESS_CEILING), context, { ...failures('login-address'), ...quiet, skip: known }),
    limiter('login-attempts', times(ATTEMPT_CEILING), context, { ...refusing('login-attempts', 'Too many sign-ins from this address: wait for the number of seconds in Retry-After.'), ...quiet }),
  ];
}

/**
 * Wrong current passwords in a password change, per session, RATE_LIMIT_AUTH: a stolen session cannot
 * guess its way to the password, and since only the caller's own session fills this count, no stranger
 * (and no other session) can keep the owner from changing theirs. The session's stored id is hashed
 * once more for the key, so the store never holds anything the sessions table does.
 */
export function passwordCheckRateLimit(rule: RateLimitRule, context: LimiterContext): RequestHandler {
  const sessionOf = (req: Request) => createHash('sha256').update(req.auth?.session.id ?? '').digest('base64url').slice(0, 22);
  return limiter('password-check', rule, context, {
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 403,
    keyGenerator: (req) => `${req.account ?? ''}:${sessionOf(req)}`,
    handler: tooMany('password-check', 'Too many wrong current passwords: wait for the number of seconds in Retry-After.', rule, context),
  });
}

/** A 429 with Retry-After from the limit's own reset time, logged as a security event. */
function tooMany(tier: string, message: string, rule: RateLimitRule, { logger }: LimiterContext): Options['handler'] {
  return (req, _res, next) => {
    logger.warn({ event: 'login_limited', tier, account: req.account, address: req.ip }, 'sign-in attempts over the limit');
    const { resetTime } = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit ?? {};
    const resetsAt = resetTime?.getTime() ?? Date.now() + rule.windowMs;
    const retryAfter = String(Math.max(1, Math.ceil((resetsAt - Date.now()) / 1000)));
    next(new HttpError(429, message, { headers: { 'Retry-After': retryAfter } }));
  };
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
