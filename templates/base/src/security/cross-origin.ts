import type { Request, RequestHandler } from 'express';
import { HttpError } from '../http/http-error.ts';

/** Methods that change nothing: a page of another site gains nothing by making a browser send them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requests that pages of other origins make a visitor's browser send are refused here, before any rate
 * limit counts them and before a route runs: the rule of Go's `net/http.CrossOriginProtection`, plus the
 * Fetch Metadata resource isolation policy for reads. Browsers say where a request comes from
 * (`Sec-Fetch-Site`, and `Origin`) and what it is for (`Sec-Fetch-Mode`, `Sec-Fetch-Dest`); pages cannot
 * forge any of them. Without this rule a hostile page spends its visitors' rate limits (and everyone's
 * behind the same address) with hidden iframes or `fetch(api, { mode: 'no-cors' })` loops, and, with
 * cookie sessions, makes the browser send requests that carry the visitor's session (CSRF).
 *
 * One rule for every request, whatever carries the session: a request from an allowed origin passes.
 * Then, by `Sec-Fetch-Site`:
 * - `same-origin` (the API's own pages) or `none` (typed by the user): passes.
 * - `cross-site`, `same-site` (a sibling subdomain is another origin) or any other value: refused, but
 *   for a top-level GET or HEAD navigation (a link to the API: the visitor sees the answer, no page can
 *   read it). Frames, objects and embeds navigate too; their `Sec-Fetch-Dest` is not `document`.
 * - absent: the request comes from a client that is not a browser, from a browser older than 2023, or
 *   over plain http (browsers send Fetch Metadata only to https and localhost). Reads pass (CORS still
 *   keeps their answers from other origins). A change passes when its `Origin` names this host
 *   (`Origin`'s host[:port] equals the `Host` header, byte for byte, as Go compares them; the `Host`
 *   header has no scheme, and HSTS keeps browsers off http) and when there is no `Origin` at all: every
 *   browser sends one with a cross-origin POST, PUT, PATCH or DELETE, so a request without either
 *   header is not a browser's and forges nothing.
 */
export function refuseCrossOriginRequests(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, _res, next) => {
    next(mayPass(req, allowed) ? undefined : new HttpError(403, 'Requests made by pages of other origins are refused.'));
  };
}

function mayPass(req: Request, allowed: ReadonlySet<string>): boolean {
  const origin = req.get('origin');
  if (origin !== undefined && allowed.has(origin)) return true;
  switch (req.get('sec-fetch-site')) {
    case 'same-origin':
    case 'none':
      return true;
    case undefined:
      return SAFE_METHODS.has(req.method) || origin === undefined || namesThisHost(origin, req.headers.host);
    default:
      return isTopLevelNavigation(req);
  }
}

/**
 * A link followed, a URL opened: the one request of another site's page that may reach the API. The
 * destination must say `document`; a browser that sends `Sec-Fetch-Site` but no `Sec-Fetch-Dest`
 * (Chromium 76 to 79, from 2019) is refused too, since its iframes look the same as its links, and a
 * link to a JSON API is worth less than the visitor's rate limit. POSTed forms navigate as well: never
 * from another origin. Nor do prefetches (`Sec-Purpose`), which a page's speculation rules ask for by
 * the dozen without a click; refusing one costs the visitor nothing, the click still loads.
 */
function isTopLevelNavigation(req: Request): boolean {
  const { method } = req;
  return (
    (method === 'GET' || method === 'HEAD') &&
    req.get('sec-fetch-mode') === 'navigate' &&
    req.get('sec-fetch-dest') === 'document' &&
    req.get('sec-purpose') === undefined
  );
}

/** Whether a serialized origin's (`scheme://host[:port]`) host[:port] is the `Host` header; `null` names none. */
function namesThisHost(origin: string, host: string | undefined): boolean {
  const separator = origin.indexOf('://');
  return separator !== -1 && host !== undefined && origin.slice(separator + 3) === host;
}
