import type { Check } from '../model.ts';
import { ANONYMOUS_CHECK } from './auth.ts';
import { COOKIE_CHECK } from './cookies.ts';
import { CORS_CHECKS } from './cors.ts';
import { ERROR_CHECKS, ERROR_PAGE_CHECKS } from './errors.ts';
import { HEADER_CHECKS } from './headers.ts';
import { RATE_LIMIT_CHECKS } from './rate-limit.ts';
import { SIMPLE_BODY_CHECK } from './simple-bodies.ts';
import { SLOW_HEADERS_CHECK } from './slow-headers.ts';
import { TRACE_CHECK } from './trace.ts';

/**
 * Every check, in the order they run and are reported. The rate limit comes after everything that
 * sends requests of its own: using it up makes the API answer 429 to whatever would come after. Last
 * come the checks that send nothing and read every response of the run (error pages, cookies,
 * headers), so they see the preflights and the 429s too.
 */
export const CHECKS: readonly Check[] = [
  ...CORS_CHECKS,
  ...ERROR_CHECKS,
  SIMPLE_BODY_CHECK,
  ANONYMOUS_CHECK,
  TRACE_CHECK,
  SLOW_HEADERS_CHECK,
  ...RATE_LIMIT_CHECKS,
  ...ERROR_PAGE_CHECKS,
  COOKIE_CHECK,
  ...HEADER_CHECKS,
];
