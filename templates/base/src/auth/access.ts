import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http/http-error.ts';
import type { Role } from '../users/user-store.ts';
import type { Authenticated } from './authenticate.ts';
import { transport } from './transport.ts';

/** Who may call a route. Every route states one, as the first handler where it is declared. */
export type AccessRule = 'public' | 'signed-in' | 'owner' | 'admin';

/**
 * A middleware that enforces an access rule, and says which: test/access-rules.test.ts reads it. It
 * fits any route's handler types, so it can stand first, before the validation that types the request.
 */
export type Guard = (<P, ResBody, ReqBody, Query>(req: Request<P, ResBody, ReqBody, Query>, res: Response<ResBody>, next: NextFunction) => void) & {
  readonly access: AccessRule;
};

/** What a guard looks at: who is calling (authenticate.ts) and the route's raw parameters. */
interface Caller {
  readonly auth?: Authenticated | undefined;
  readonly params: unknown;
}

/** `refuse` returns (or resolves to) the error to answer with, or undefined to let the request through. */
const guard = (access: AccessRule, refuse: (caller: Caller) => HttpError | undefined | Promise<HttpError | undefined>): Guard =>
  Object.assign(
    <P, ResBody, ReqBody, Query>(req: Request<P, ResBody, ReqBody, Query>, _res: Response<ResBody>, next: NextFunction) => {
      const refusal = refuse(req);
      // Most rules decide at once, from req.auth: no need to wait a turn of the event loop for them.
      if (refusal instanceof Promise) refusal.then(next, next);
      else next(refusal);
    },
    { access },
  );

/** 401 with the challenge RFC 9110 requires: no session, an ended one, or credentials that failed. */
export const unauthenticated = (detail = 'Sign in to use this route.') =>
  new HttpError(401, detail, { headers: { 'WWW-Authenticate': transport.challenge } });

/** Anyone, signed in or not. Stated anyway, so that a route without a rule stands out. */
export const publicRoute: Guard = guard('public', () => undefined);

/** Any signed-in user; 401 otherwise. */
export const requireAuth: Guard = guard('signed-in', ({ auth }) => (auth ? undefined : unauthenticated()));

/** Users with this role; 401 for anonymous callers, 403 for signed-in users without it. */
export function requireRole(role: Role): Guard {
  return guard(role === 'admin' ? 'admin' : 'signed-in', ({ auth }) => {
    if (!auth) return unauthenticated();
    return auth.user.role === role ? undefined : new HttpError(403, 'Your account may not use this route.');
  });
}

/** Finds who owns what a request names, from its raw (not yet validated) route parameters. */
export type OwnerOf = (params: Readonly<Record<string, string | undefined>>) => string | undefined | Promise<string | undefined>;

/**
 * The owner of what the route names, or an admin; 401 for anonymous callers. `ownerOf` gives the
 * owner's user id: the `:id` parameter itself for `/users/:id`, a lookup for a resource users own.
 * Anyone else gets the same 404 as for an id that does not exist: a 403 would confirm that the id is
 * someone's (broken object-level authorization, OWASP API1, starts with such oracles).
 */
export function requireOwner(ownerOf: OwnerOf): Guard {
  return guard('owner', async ({ auth, params }) => {
    if (!auth) return unauthenticated();
    if (auth.user.role === 'admin') return undefined;
    const owner = await ownerOf(params as Record<string, string | undefined>);
    return owner === auth.user.id ? undefined : new HttpError(404, 'There is nothing at this path.');
  });
}

/**
 * The refusals each rule can answer with, as the guards above decide them: what the OpenAPI document
 * lists for each route (src/openapi/document.ts).
 */
export const REFUSALS: Readonly<Record<AccessRule, readonly number[]>> = {
  public: [],
  'signed-in': [401],
  owner: [401, 404],
  admin: [401, 403],
};
