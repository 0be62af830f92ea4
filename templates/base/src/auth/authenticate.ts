import type { RequestHandler } from 'express';
import type { PublicUser } from '../users/user-store.ts';
import type { ActiveSession, SessionStore } from './sessions.ts';
import { transport } from './transport.ts';

export interface Authenticated {
  readonly user: PublicUser;
  readonly session: ActiveSession;
}

/**
 * Finds the caller's session, if the request carries one, and sets `req.auth`. It refuses nothing:
 * each route's guard (src/auth/access.ts) decides what an anonymous caller may do. A token that is
 * unknown, idle or expired counts as no token at all.
 */
export function authenticate(sessions: SessionStore): RequestHandler {
  return async (req, _res, next) => {
    const presented = transport.read(req);
    req.auth = presented === undefined ? undefined : await sessions.authenticate(presented);
    next();
  };
}

declare module 'node:http' {
  interface IncomingMessage {
    /** The signed-in caller, set by authenticate(); undefined for anonymous requests. */
    auth?: Authenticated | undefined;
  }
}
