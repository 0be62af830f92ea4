import type { Check } from '../model.ts';
import { CORS_CHECKS } from './cors.ts';
import { ERROR_CHECKS } from './errors.ts';
import { HEADER_CHECKS } from './headers.ts';
import { RATE_LIMIT_CHECKS } from './rate-limit.ts';
import { SLOW_HEADERS_CHECK } from './slow-headers.ts';
import { TRACE_CHECK } from './trace.ts';

/**
 * Every check, in the order they run and are reported. The rate limit comes last: using it up makes
 * the API answer 429 to whatever would come after.
 */
export const CHECKS: readonly Check[] = [...HEADER_CHECKS, ...CORS_CHECKS, ...ERROR_CHECKS, TRACE_CHECK, SLOW_HEADERS_CHECK, ...RATE_LIMIT_CHECKS];
