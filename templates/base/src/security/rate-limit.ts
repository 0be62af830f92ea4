import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type { RateLimitRule } from '../config.ts';
import { HttpError } from '../http/http-error.ts';
import type { Logger } from '../log.ts';
import { createRateLimitStore } from './rate-limit-store.ts';

function limiter(name: string, rule: RateLimitRule, logger: Logger, options: Partial<Options> = {}): RequestHandler {
  return rateLimit({
    windowMs: rule.windowMs,
    limit: rule.max,
    // The IETF `RateLimit` and `RateLimit-Policy` headers (draft 8), named after the policy, tell
    // well-behaved clients how much is left; `Retry-After` comes with every 429.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    store: createRateLimitStore(name),
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
 * `X-Forwarded-For` header. IPv6 clients are grouped by /56 prefix, since one client usually holds a
 * whole block of addresses.
 */
export function globalRateLimit(rule: RateLimitRule, logger: Logger): RequestHandler {
  return limiter('global', rule, logger);
}

/**
 * The auth tier, in addition to the global one on /api/v1/auth: few attempts per address, so that
 * password guessing (brute force, credential stuffing) from one address stops quickly.
 */
export function authRateLimit(rule: RateLimitRule, logger: Logger): RequestHandler {
  return limiter('auth', rule, logger);
}

/**
 * The auth tier again, counting failed attempts per account instead of per address: an attacker with
 * many addresses (a botnet, a pool of proxies) gets no more guesses at one account than a single
 * client would. Successful requests are not counted. `accountOf` must return a normalized identifier
 * (a trimmed, lower-cased email), so that `Alice@x.test` and `alice@x.test ` share one count, and the
 * limiter must run after validation.
 *
 * Trade-off: anyone can use up an account's attempts and so lock its owner out for one window. That
 * is the lesser evil next to unlimited guessing; pair it with a clear message or a reset flow.
 */
export function failedAttemptsRateLimit(
  rule: RateLimitRule,
  logger: Logger,
  accountOf: (req: Request) => string,
): RequestHandler {
  return limiter('account', rule, logger, {
    keyGenerator: (req) => `account:${accountOf(req)}`,
    skipSuccessfulRequests: true,
  });
}
