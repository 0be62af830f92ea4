import { z } from 'zod';

/** How the OpenAPI document names the session (src/openapi/document.ts): RFC 6750 bearer tokens. */
export const sessionScheme = {
  type: 'http',
  scheme: 'bearer',
  description: 'The token POST /api/v1/auth/login returns, sent as `Authorization: Bearer <token>`.',
} as const;

/** What login's body adds for the client to keep (transport.signIn in ./transport.ts). */
export const signInFields = { token: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/), deviceToken: z.string().max(128) };
