import { describeExchange } from '../context.ts';
import { fail, pass, skipped, warn, type Check } from '../model.ts';
import { PROBE_MARKER } from '../plan.ts';
import { isLimited } from '../proxy.ts';

/**
 * TRACE echoes the request back, cookies and Authorization included: with it, a script that cannot
 * read a cookie marked HttpOnly can still read it from the echo (cross-site tracing). An API has no
 * use for it.
 */
export const TRACE_CHECK: Check = {
  id: 'trace',
  group: 'Other',
  title: 'TRACE is not echoed',
  description: 'A TRACE request is refused, not answered with a copy of the request and its cookies.',
  severity: 'medium',
  fix: { text: 'Serve only the methods each route needs; nothing should answer TRACE', file: 'src/app.ts' },
  async run(context) {
    const exchange = await context.send({
      method: 'TRACE',
      path: context.plan.successPaths[0] ?? '/',
      headers: { 'x-check-trace': PROBE_MARKER, cookie: `check-trace=${PROBE_MARKER}` },
    });
    const { status, body } = exchange.response;
    if (body.includes(PROBE_MARKER)) return fail(`${describeExchange(exchange)}: the response echoes the request, cookie included`);
    // The limiter answered before any route could: what a route does with TRACE is unknown.
    if (isLimited(exchange)) return skipped(`${describeExchange(exchange)}: rate limited; run again when its window has passed`);
    if (status >= 200 && status < 300) return warn(`${describeExchange(exchange)}: TRACE is served, though it did not echo the request`, { severity: 'low' });
    return pass(`${describeExchange(exchange)}: not echoed`);
  },
};
