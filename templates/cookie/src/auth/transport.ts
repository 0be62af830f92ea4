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

/** The device proof's cookie (src/auth/device-proof.ts), `__Host-` for the same reasons. */
export const DEVICE_COOKIE = '__Host-device';

/**
 * The device proof is only ever read by login, which a page of the app's own site calls: Strict keeps
 * it out of every request another site starts. It outlives sessions and logout (400 days, the most
 * browsers keep a cookie), since what it says is that this browser signed in to the account before.
 */
const DEVICE_ATTRIBUTES: CookieOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/', maxAge: 400 * 24 * 60 * 60 * 1000 };

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
const PROOF = /^[A-Za-z0-9_.-]{1,128}$/;

/** The first cookie named `wanted` whose value has the given shape. */
function readCookie(req: Request, wanted: string, shape: RegExp): string | undefined {
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const [name, value] = pair.trim().split('=', 2);
    if (name === wanted && value !== undefined && shape.test(value)) return value;
  }
  return undefined;
}

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
    return readCookie(req, SESSION_COOKIE, TOKEN);
  },

  signIn(res: Response, issued: IssuedSession): Record<string, never> {
    // The browser drops the cookie when the session's lifetime ends; the server enforces the idle end.
    res.cookie(SESSION_COOKIE, issued.token, { ...ATTRIBUTES, expires: issued.lifetimeEndsAt });
    return {};
  },

  signOut(res: Response): void {
    res.clearCookie(SESSION_COOKIE, ATTRIBUTES);
  },

  /** The login body has no field for a device proof: the browser sends the cookie by itself. */
  loginFields: {},

  readDeviceProof(req: Request): string | undefined {
    return readCookie(req, DEVICE_COOKIE, PROOF);
  },

  /** Sets a fresh device proof for the next login; nothing in the body (scripts cannot read it). */
  giveDeviceProof(res: Response, proof: string): Record<string, never> {
    res.cookie(DEVICE_COOKIE, proof, DEVICE_ATTRIBUTES);
    return {};
  },
};
