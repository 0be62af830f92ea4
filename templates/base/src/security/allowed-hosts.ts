import type { RequestHandler } from 'express';
import { hostNameOf } from '../http/host-name.ts';
import { HttpError } from '../http/http-error.ts';

/**
 * Answers only requests for the host names this API is reached by (ALLOWED_HOSTS; outside production
 * localhost, 127.0.0.1 and [::1], on any port). This is what stops DNS rebinding: a page of
 * `attacker.example` whose name the attacker then points at 127.0.0.1 (or at an address inside the
 * visitor's network) calls the API from the visitor's browser as its own origin, so neither CORS nor
 * Fetch Metadata can tell it from the API's own pages, and it reads every answer. One thing it cannot
 * change is the `Host` header: the browser writes the name it looked up, `attacker.example`.
 *
 * The `Host` header alone, never `X-Forwarded-Host`, which any script of a rebound page may set. A proxy
 * in front must pass the client's `Host` on (nginx: `proxy_set_header Host $host`).
 *
 * 421 Misdirected Request (RFC 9110, section 15.5.20) for a name that is not allowed: the request is
 * well-formed, but this server does not answer for that name, which is what 421 says (400 would say the
 * request itself is malformed). A `Host` that is no host at all, or none (HTTP/1.0; Node answers HTTP/1.1
 * without one itself), is a 400: every browser sends one.
 */
export function refuseUnknownHosts(allowedHosts: readonly string[]): RequestHandler {
  const allowed = new Set(allowedHosts);
  return (req, _res, next) => {
    const { host } = req.headers;
    if (host === undefined) {
      next(new HttpError(400, 'The request names no host: send a Host header.'));
      return;
    }
    const name = hostNameOf(host);
    if (name === undefined) next(new HttpError(400, 'The Host header is not a host name or address.'));
    else if (!allowed.has(name)) next(new HttpError(421, 'This server does not answer for that host name.'));
    else next();
  };
}
