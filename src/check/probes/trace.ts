import { describeExchange } from '../context.ts';
import { fail, pass, warn, type Check } from '../model.ts';

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
  fix: { text: 'Serve only the methods each route needs; nothing should answer TRACE', file: 'src/app.ts' },
  async run(context) {
    const { token } = context.plan;
    const exchange = await context.send({
      method: 'TRACE',
      path: context.plan.successPath,
      headers: { 'x-check-trace': token, cookie: `check-trace=${token}` },
    });
    const { status, body } = exchange.response;
    if (body.includes(token)) return fail(`${describeExchange(exchange)}: the response echoes the request, cookie included`);
    if (status >= 200 && status < 300) return warn(`${describeExchange(exchange)}: TRACE is served, though it did not echo the request`);
    return pass(`${describeExchange(exchange)}: not echoed`);
  },
};
