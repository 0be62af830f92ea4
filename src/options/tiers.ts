import type { RateLimitTier } from './answers.ts';

/** Requests per window for each tier: the global limit on every route but health, the auth limit on top. */
export const RATE_LIMIT_TIERS: Readonly<Record<RateLimitTier, { global: string; auth: string }>> = {
  strict: { global: '50/15m', auth: '3/15m' },
  standard: { global: '100/15m', auth: '5/15m' },
  relaxed: { global: '300/15m', auth: '10/15m' },
};
