import { z } from 'zod';
import type { PublicUser } from './user-store.ts';

/**
 * What the API shows of a user, as a schema: the responses the OpenAPI document describes and the tests
 * check. Strict, so a field that should never leave the server (the password hash) fails those checks.
 */
export const publicUser = z.strictObject({
  id: z.uuid(),
  email: z.email(),
  name: z.string().nullable(),
  role: z.enum(['user', 'admin']),
}) satisfies z.ZodType<PublicUser>;
