import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';

/** A success status and what its body is: a zod schema of the JSON sent, or `noBody` (a 204). */
export const noBody = null;

export interface RouteDocs {
  /** One line for the documentation page. */
  readonly summary: string;
  /** Each success status the route answers with, and its body. */
  readonly responses: Readonly<Record<number, z.ZodType | typeof noBody>>;
  /**
   * Refusals only this route's handler makes (409 for a taken email, say). Those that follow from the
   * access rule, from validation and from the rate limits are added by src/openapi/document.ts.
   */
  readonly refusals?: readonly number[];
  /** False only for routes mounted before the rate limits (health checks): no 429 and no 503 from them. */
  readonly rateLimited?: boolean;
}

const docs = new WeakMap<object, RouteDocs>();

/**
 * What a route answers, for the OpenAPI document: a handler that does nothing at runtime but call the
 * next one, and carries `docs`. Put it second in each route's chain, after the access rule:
 *
 *   router.route('/me').get(requireAuth, documented({ summary: 'The caller', responses: { 200: publicUser } }), handler)
 *
 * Request schemas need no such line: validate() declares its own. A route without it is still in the
 * document (its path, access rule and request), with an undescribed 200, and test/openapi.test.ts names it.
 */
export function documented(routeDocs: RouteDocs) {
  // Generic like the access rules' guards, so it fits any route's handler types wherever it stands.
  const handler = <P, ResBody, ReqBody, Query>(_req: Request<P, ResBody, ReqBody, Query>, _res: Response<ResBody>, next: NextFunction): void => {
    next();
  };
  docs.set(handler, routeDocs);
  return handler;
}

/** The docs a handler carries, if it is a documented() one. */
export function routeDocsOf(handler: unknown): RouteDocs | undefined {
  return typeof handler === 'function' ? docs.get(handler) : undefined;
}
