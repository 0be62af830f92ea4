import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * A Content-Security-Policy for an API: a JSON response is never a page, so it may load nothing and be
 * framed by nobody. If a browser is ever tricked into rendering a response (say, an error echoing
 * user input), no script, style or frame can run from it. Helmet's own default policy is written for
 * HTML pages and would allow far more.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The development documentation page's policy (src/openapi/docs-page.ts), set by that page alone and
 * never in production, where it does not exist: Swagger UI's scripts and styles from this origin (it
 * styles elements inline, and its stylesheet draws icons from data: URLs), and fetches of the document
 * and of "Try it out" requests to this origin. Still no inline script, no framing, no other origin.
 */
export const DOCS_PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Every browser feature switched off, from the OWASP Secure Headers Project's recommended policy
 * (with sync-xhr denied too). An API response has no use for any of them.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'clipboard-read',
  'clipboard-write',
  'cross-origin-isolated',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'gamepad',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'interest-cohort',
  'keyboard-map',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'sync-xhr',
  'unload',
  'usb',
  'web-share',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

const helmetForApi = helmet({
  // Set below as one exact string; helmet would write it without the space after the semicolon.
  contentSecurityPolicy: false,
  // Browsers honour these for documents; for an API they stop its responses being embedded or read
  // by other origins through side channels (Spectre-style attacks).
  crossOriginEmbedderPolicy: { policy: 'require-corp' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  originAgentCluster: true,
  // URLs may carry identifiers; never send them to another site.
  referrerPolicy: { policy: 'no-referrer' },
  // Two years, subdomains included: once a browser has seen HTTPS it never downgrades to HTTP.
  // Not `preload`: submitting a domain to the preload list is a decision for its owner.
  strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true, preload: false },
  // Browsers must trust Content-Type and never sniff JSON into HTML or script.
  xContentTypeOptions: true,
  xDnsPrefetchControl: { allow: false },
  // Legacy twin of frame-ancestors for browsers that predate CSP level 2.
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: { permittedPolicies: 'none' },
  // `X-Powered-By: Express` only tells attackers which exploits to try.
  xPoweredBy: true,
  // `X-XSS-Protection: 0`: the old filters were themselves exploitable, so OWASP says to turn them off.
  xXssProtection: true,
  // Internet Explorer's download prompt; IE is gone and OWASP no longer lists the header.
  xDownloadOptions: false,
});

/**
 * The headers helmet sets never depend on the request, so they are worked out once, at start-up, by
 * running helmet against a recording response; each request then gets them in one call instead of a
 * dozen small middlewares.
 */
function recordHeaders(middleware: RequestHandler): Map<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  void middleware(Object.create(null) as Request, recorder as unknown as Response, () => {});
  return headers;
}

const SECURITY_HEADERS = new Map([
  ...recordHeaders(helmetForApi),
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['Permissions-Policy', PERMISSIONS_POLICY],
  // API responses are per-user and often sensitive: no browser, proxy or CDN may keep a copy.
  ['Cache-Control', 'no-store'],
]);

/**
 * Security headers on every response. This runs before routing, so 404s, 405s, 429s and errors carry
 * them too: those are the responses attackers see most.
 */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeaders(SECURITY_HEADERS);
    res.removeHeader('X-Powered-By');
    next();
  };
}
