import type { Request, Response } from 'express';
import { z } from 'zod';
import type { IssuedSession } from './sessions.ts';

// The scheme is case-insensitive (RFC 9110); the token is exactly what login gave.
const BEARER = /^bearer ([A-Za-z0-9_-]{1,128})$/i;

/**
 * Sessions travel as bearer tokens (RFC 6750): login returns the token in its body, and clients send
 * `Authorization: Bearer <token>`. Browsers never attach it on their own, so no other site can make a
 * visitor's browser send it: there is nothing to forge (no CSRF). Keep it out of URLs and logs.
 */
export const transport = {
  /** Request headers a browser on an allowed origin may send (CORS): the token's. */
  requestHeaders: ['Authorization'],
  /** The challenge a 401 names in `WWW-Authenticate`. */
  challenge: 'Bearer',

  read(req: Request): string | undefined {
    return BEARER.exec(req.get('authorization') ?? '')?.[1];
  },

  /** What the login response adds for the client to keep. */
  signIn(_res: Response, issued: IssuedSession): { token: string } {
    return { token: issued.token };
  },

  /**
   * The login body's field for a device proof (src/auth/device-proof.ts): the `deviceToken` a former
   * login of this account returned. Clients keep it apart from the session token, and past logout.
   */
  loginFields: { deviceToken: z.string().max(128).optional() },

  readDeviceProof(req: Request): string | undefined {
    return (req.body as { deviceToken?: string }).deviceToken;
  },

  /** What the login response adds: a fresh device proof for the next login. */
  giveDeviceProof(_res: Response, proof: string): { deviceToken: string } {
    return { deviceToken: proof };
  },

  /** A bearer token has nothing to clear on the client's side: revoking it on the server is enough. */
  signOut(_res: Response): void {
    // Nothing to do.
  },
};
