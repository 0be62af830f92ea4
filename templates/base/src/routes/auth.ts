import { Router, type Request } from 'express';
import { z } from 'zod';
import type { RateLimitRule } from '../config.ts';
import { HttpError } from '../http/http-error.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { validate } from '../http/validate.ts';
import type { Logger } from '../log.ts';
import { failedAttemptsRateLimit } from '../security/rate-limit.ts';
import { UNKNOWN_USER_HASH, verifyPassword } from '../users/password.ts';
import { toPublicUser, type UserStore } from '../users/user-store.ts';
import { email } from './users.ts';

const loginBody = z.strictObject({
  email,
  // No length rule beyond the bounds: a login must not reveal the password policy.
  password: z.string().min(1).max(128),
});

/** The same answer for an unknown email and a wrong password, so the API cannot be asked who has an account. */
const invalidCredentials = () => new HttpError(401, 'The email or password is incorrect.');

/**
 * Login. The per-address auth limit is applied in app.ts to all of /api/v1/auth; failed attempts are
 * also counted per account here, after validation has normalized the email.
 */
export function authRouter(users: UserStore, rule: RateLimitRule, logger: Logger): Router {
  const router = Router();
  const failedLogins = failedAttemptsRateLimit(rule, logger, (req: Request) => (req.body as { email: string }).email);

  router
    .route('/login')
    .post(validate({ body: loginBody }), failedLogins, async (req, res) => {
      const user = users.findByEmail(req.body.email);
      // Always one scrypt check, against a dummy hash when there is no such user: an unknown email
      // must take as long as a wrong password.
      const valid = await verifyPassword(req.body.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
      if (!user || !valid) throw invalidCredentials();
      // A real app issues its session or token here.
      res.json(toPublicUser(user));
    })
    .all(methodNotAllowed('POST'));

  return router;
}
