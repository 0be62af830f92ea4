import type { Options, Store } from 'express-rate-limit';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { RateLimitRule } from '../config.ts';
import { HttpError } from '../http/http-error.ts';
import type { LimiterContext } from './rate-limit.ts';

/**
 * Requests that may mail one address per window, whoever makes them: sign-ups with it, verification
 * resends and reset requests together, counted before anyone looks whether it has an account. The window is the reset link's lifetime, so while the budget is spent
 * the newest mail's link still works: a stranger who spends it never keeps the owner out.
 */
export const MAILS_PER_ACCOUNT: RateLimitRule = { max: 3, windowMs: 30 * 60_000 };

/**
 * Requests that send mail (verification resend, password reset) per client address, with the auth
 * tier's limit: one address cannot make the API mail many mailboxes. Every request counts, whether
 * or not the address it names has an account, so the 429 says nothing about accounts.
 */
export function mailRequestRateLimit(rule: RateLimitRule, { logger, stores }: LimiterContext): RequestHandler {
  return rateLimit({
    windowMs: rule.windowMs,
    limit: rule.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'mail-request',
    store: stores('mail-request'),
    // IPv6 clients grouped by /56, as the other limits do (security/rate-limit.ts).
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? '', 56),
    handler: (req, _res, next) => {
      logger.warn({ event: 'mail_requests_limited', address: req.ip }, 'mail requests over the limit');
      next(new HttpError(429, 'Too many requests: wait for the number of seconds in Retry-After.'));
    },
  });
}

/** Spends one of an account's mails; false once its budget for the window is spent. */
export type MailBudget = (account: string) => Promise<boolean>;

/**
 * Mails per target account (MAILS_PER_ACCOUNT), keyed by the account's keyed hash (never the
 * address), in the rate limits' store: Redis when the project has it, so every instance shares it.
 * Past the budget the request still answers 202 and sends nothing: the answer is the same for every
 * address, with or without an account.
 */
export function mailBudget({ stores }: LimiterContext, rule: RateLimitRule = MAILS_PER_ACCOUNT): MailBudget {
  const store: Store = stores('mail-account');
  const ready = Promise.resolve(store.init?.({ windowMs: rule.windowMs } as Options));
  return async (account) => {
    await ready;
    const { totalHits } = await store.increment(account);
    return totalHits <= rule.max;
  };
}
