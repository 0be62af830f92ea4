import { bodyHeaders, describeExchange, listed, type Exchange } from '../context.ts';
import { fail, pass, skipped, warn, type Check } from '../model.ts';
import { isLimited } from '../proxy.ts';

/**
 * Every operation the OpenAPI document marks as secured must turn away a caller with no credentials
 * (401 or 403) before doing anything. Bodies are `{}`, which no route can store as valid data; DELETE
 * is never sent.
 */
export const ANONYMOUS_CHECK: Check = {
  id: 'auth/anonymous',
  group: 'Access',
  title: 'secured routes refuse anonymous callers',
  description: 'Each operation the OpenAPI document marks as secured answers a caller without credentials with 401 or 403.',
  severity: 'high',
  fix: { text: 'Put the authentication middleware in front of every route the document marks as secured, before validation and before the handler', file: 'src/auth/authenticate.ts' },
  async run(context) {
    if (!context.options.openapi) return skipped('no --openapi given: name the API\'s OpenAPI document to check its secured operations');
    const secured = context.plan.operations.filter((operation) => operation.secured);
    if (secured.length === 0) return skipped('the document marks no operation as secured');
    const sendable = secured.filter((operation) => operation.method !== 'DELETE');
    const answers: Exchange[] = [];
    for (const operation of sendable) {
      const withBody = operation.method === 'POST' || operation.method === 'PUT' || operation.method === 'PATCH';
      answers.push(
        await context.send({
          method: operation.method,
          path: operation.path,
          headers: withBody ? bodyHeaders(context.plan, 'application/json') : { accept: 'application/json' },
          ...(withBody ? { body: '{}' } : {}),
        }),
      );
    }
    const unsent = secured.length - sendable.length;
    const tail = unsent > 0 ? `; ${unsent} DELETE operation(s) not sent` : '';
    const answered = answers.filter((answer) => !isLimited(answer));
    if (answered.length === 0) return skipped(`every request was rate limited${tail}`);
    const open = answered.filter(({ response }) => response.status < 400 || response.status >= 500 || response.status === 409);
    if (open.length > 0) {
      return fail(`answered without credentials: ${listed(open.map(describeExchange), 4)} (expected 401 or 403)${tail}`, { path: open[0]?.request.path });
    }
    // The {} body was refused as invalid before anything asked for credentials: a route that validates
    // first and one with no authentication at all answer alike, and only a valid body (which could be
    // stored) would tell them apart.
    const invalid = answered.filter(({ response }) => response.status === 400 || response.status === 422);
    if (invalid.length > 0) {
      return warn(
        `refused as invalid before credentials were asked for: ${listed(invalid.map(describeExchange), 4)}: the body is validated before authentication, or there is none (only a valid body, which check never sends, would tell)${tail}`,
        { path: invalid[0]?.request.path, severity: 'medium' },
      );
    }
    const missing = answered.filter(({ response }) => response.status !== 401 && response.status !== 403);
    if (missing.length > 0) {
      return warn(`not 401 or 403: ${listed(missing.map(describeExchange), 4)}: does the document match the API (its servers, its paths)?${tail}`, { path: missing[0]?.request.path });
    }
    return pass(`${answered.length} secured operations → ${[...new Set(answered.map(({ response }) => response.status))].join(' or ')}${tail}`);
  },
};
