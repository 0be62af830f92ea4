import type { CookieOptions, Request, Response } from 'express';
import type { IssuedSession } from './sessions.ts';

/**
 * `__Host-`: browsers accept the cookie only if it is Secure, has Path=/ and no Domain, so no
 * subdomain and no plain-HTTP page can set or overwrite it (cookie tossing).
 */
export const SESSION_COOKIE = '__Host-session';

/**
 * HttpOnly: scripts cannot read it (an XSS on the app cannot steal the session). Secure: HTTPS only
 * (browsers treat http://localhost as secure, for development). SameSite=Lax: other sites' pages do not
 * send it with their requests, except top-level GET navigations, which change nothing here.
 */
const ATTRIBUTES: CookieOptions = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' };

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Sessions travel in a cookie, for browser apps: login sets it and puts no token in the body, the
 * browser sends it on every request, logout clears it. Because the browser sends it by itself, other
 * origins' pages must not be able to make it send one: src/security/cross-origin.ts refuses those.
 */
export const transport = {
  /** Request headers a browser on an allowed origin may send (CORS): none, the cookie goes by itself. */
  requestHeaders: [] as string[],
  /** Not a standard scheme (there is none for cookies), but RFC 9110 wants a challenge with every 401. */
  challenge: `Cookie name="${SESSION_COOKIE}"`,

  read(req: Request): string | undefined {
    for (const pair of (req.get('cookie') ?? '').split(';')) {
      const [name, value] = pair.trim().split('=', 2);
      if (name === SESSION_COOKIE && value !== undefined && TOKEN.test(value)) return value;
    }
    return undefined;
  },

  signIn(res: Response, issued: IssuedSession): Record<string, never> {
    // The browser drops the cookie when the session's lifetime ends; the server enforces the idle end.
    res.cookie(SESSION_COOKIE, issued.token, { ...ATTRIBUTES, expires: issued.lifetimeEndsAt });
    return {};
  },

  signOut(res: Response): void {
    res.clearCookie(SESSION_COOKIE, ATTRIBUTES);
  },
};
