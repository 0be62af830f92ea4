import type { RequestHandler } from 'express';
import { HttpError } from '../http/http-error.ts';

/**
 * Requests that other sites' pages make a visitor's browser send are refused here, before they are
 * counted against the visitor's rate limit or read: the Fetch Metadata resource isolation policy.
 * Browsers say where a request comes from (`Sec-Fetch-Site`) and how it was made (`Sec-Fetch-Mode`),
 * and pages cannot forge either. Without this, a hostile page firing `fetch(api, { mode: 'no-cors' })`
 * in a loop spends its visitors' limits (and everyone's behind the same address), and its requests
 * reach the routes.
 *
 * Passed: requests from the API's own origin or typed by the user (`same-origin`, `none`); top-level
 * GET navigations (a link to the API: nothing for the page to read); requests whose `Origin` is in the
 * CORS allowlist (the apps that may call the API); and requests without the header (clients that are
 * not browsers, and browsers too old to send it: CORS still guards those).
 */
export function refuseCrossSiteRequests(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, _res, next) => {
    const site = req.get('sec-fetch-site');
    if (site === undefined || site === 'same-origin' || site === 'none') {
      next();
      return;
    }
    if (req.method === 'GET' && req.get('sec-fetch-mode') === 'navigate') {
      next();
      return;
    }
    const origin = req.get('origin');
    next(origin !== undefined && allowed.has(origin) ? undefined : new HttpError(403, 'Requests made by pages of other sites are refused.'));
  };
}
