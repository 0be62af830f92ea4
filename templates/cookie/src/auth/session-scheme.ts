import { SESSION_COOKIE } from './transport.ts';

/** How the OpenAPI document names the session (src/openapi/document.ts): the cookie login sets. */
export const sessionScheme = {
  type: 'apiKey',
  in: 'cookie',
  name: SESSION_COOKIE,
  description: 'Set by POST /api/v1/auth/login (HttpOnly, Secure, SameSite=Lax); the browser sends it by itself.',
} as const;

/** What login's body adds for the client to keep (transport.signIn in ./transport.ts): nothing, the cookie carries it. */
export const signInFields = {};
