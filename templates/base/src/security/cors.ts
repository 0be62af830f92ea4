import cors from 'cors';
import type { Express, RequestHandler } from 'express';
import { transport } from '../auth/transport.ts';
import { HttpError } from '../http/http-error.ts';
import { routeTable } from '../http/route-table.ts';

export interface CorsSettings {
  /** Exact origins such as `https://app.example.com`. */
  readonly origins: readonly string[];
  /** Whether browsers may send cookies along (what a cookie session needs from another origin). */
  readonly credentials: boolean;
}

/** Headers a browser script may read from a response: rate-limit state and the request id. */
export const EXPOSED_HEADERS = ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id'];

/**
 * Cross-origin access for browsers, by exact match against an allowlist. There are no patterns:
 * `origin.endsWith('example.com')` also admits `evilexample.com`, a regex with an unescaped dot or a
 * missing anchor admits `https://app.example.com.evil.test`, and reflecting whatever `Origin` arrives
 * (or `*` with credentials) lets every site on the internet read the API as the signed-in user.
 *
 * A request from any other origin, `null` (sandboxed frames, file:// pages) included, gets no
 * `Access-Control-Allow-*` header at all, so the browser keeps the response from the calling script.
 * (The `cors` package alone still sends Allow-Credentials and Allow-Methods to refused origins, which
 * is why it only ever sees allowed ones here.) A refused preflight is answered with a 403 problem.
 *
 * CORS is not access control: curl ignores it. It only stops other websites from using a visitor's
 * browser, and their cookies, against this API.
 */
export function corsPolicy(settings: CorsSettings, app: Express): RequestHandler {
  const allowed = new Set(settings.origins);
  // The session's own header (Authorization, for bearer tokens) besides the JSON body's.
  const allowedHeaders = ['Content-Type', 'X-Request-Id', ...transport.requestHeaders];

  // Allow-Methods names the methods the routes serve, read from the router on the first cross-origin
  // request (by then every route is registered): advertising methods nobody serves only widens what a
  // page may try.
  let corsForAllowedOrigin: RequestHandler | undefined;
  const forAllowedOrigin = () =>
    (corsForAllowedOrigin ??= cors({
      origin: true, // reflects the request's origin, which has just matched the allowlist exactly
      credentials: settings.credentials,
      methods: [...new Set(routeTable(app).map((route) => route.method))].sort(),
      allowedHeaders,
      exposedHeaders: EXPOSED_HEADERS,
      // Browsers may reuse a preflight answer for 10 minutes (Chromium caps it at 2 hours anyway).
      maxAge: 600,
    }));

  return (req, res, next) => {
    // The response depends on Origin, so shared caches must never serve one origin's answer to another.
    // Nothing before this layer sets Vary, so the usual case skips the parsing and merging of res.vary().
    if (res.hasHeader('Vary')) res.vary('Origin');
    else res.setHeader('Vary', 'Origin');
    const origin = req.get('origin');
    if (origin !== undefined && allowed.has(origin)) {
      forAllowedOrigin()(req, res, next);
      return;
    }
    if (req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined) {
      next(new HttpError(403, 'This origin may not call this API from a browser.'));
      return;
    }
    next();
  };
}
