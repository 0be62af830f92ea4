import type { RequestHandler } from 'express';
import { HttpError } from '../http/http-error.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The CSRF defence of cookie sessions. The browser attaches the session cookie to requests that other
 * sites' pages make, so a request that changes something must prove it comes from an app we trust:
 * its `Origin` is in the CORS allowlist, or the browser says it comes from this very origin
 * (`Sec-Fetch-Site: same-origin`). Pages cannot forge either header. SameSite=Lax already keeps the
 * cookie off most cross-site requests; this also covers sibling subdomains (same site, other origin)
 * and older browsers. Anything else is a 403, before it reaches a route.
 *
 * Clients that are not browsers (scripts, other servers) send an allowed `Origin` header, or use
 * bearer tokens instead (`--session bearer`).
 */
export function requireAllowedOrigin(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, _res, next) => {
    if (!UNSAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    const origin = req.get('origin');
    if ((origin !== undefined && allowed.has(origin)) || req.get('sec-fetch-site') === 'same-origin') {
      next();
      return;
    }
    next(new HttpError(403, 'This request must come from an allowed origin.'));
  };
}
