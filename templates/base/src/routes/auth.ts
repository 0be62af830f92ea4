import { Router } from 'express';
import { z } from 'zod';
import { publicRoute, requireAuth, unauthenticated } from '../auth/access.ts';
import { tryingAccount } from '../auth/account-hash.ts';
import { knownDevice, type PasswordChangedAt } from '../auth/device-proof.ts';
import { givenPassword } from '../auth/password-policy.ts';
import { signInFields } from '../auth/session-scheme.ts';
import { transport } from '../auth/transport.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { validate } from '../http/validate.ts';
import { documented, noBody } from '../openapi/documented.ts';
import { addressKey } from '../security/rate-limit.ts';
import { publicUser } from '../users/public-user.ts';
import { toPublicUser } from '../users/user-store.ts';
import type { ApiServices } from './services.ts';
import { email } from './users.ts';

const loginBody = z.strictObject({
  email,
  password: givenPassword,
  ...transport.loginFields,
});

const loginResponse = z.strictObject({ ...signInFields, expiresAt: z.iso.datetime(), user: publicUser });

/**
 * The same answer for an unknown email, a wrong password and the right password of an address not yet
 * confirmed, so the API cannot be asked who has an account. The last must look like the others: anyone
 * may sign up any address with a password of their choosing, and if signing in with it then answered
 * otherwise when the sign-up made an account (a new address) than when it did not (a taken one), the
 * pair would tell which addresses have one.
 */
const invalidCredentials = () =>
  unauthenticated('The email or password is incorrect, or the address is not confirmed yet (POST /api/v1/auth/verify-email/resend mails the link again).');

/** Sign in and sign out. */
export function authRouter({ logger, users, sessions, passwords, accountHash, devices, loginLimits }: ApiServices): Router {
  const router = Router();
  // A device proof counts only if given since the password last changed (src/auth/device-proof.ts).
  const passwordChangedAt: PasswordChangedAt = async (req) => (await users.findByEmail((req.body as { email: string }).email))?.passwordChangedAt;

  router
    .route('/login')
    .post(publicRoute, documented({ summary: 'Sign in', responses: { 200: loginResponse }, refusals: [401] }), validate({ body: loginBody }), tryingAccount(accountHash, (req) => (req.body as { email: string }).email), knownDevice(devices, passwordChangedAt), ...loginLimits, async (req, res) => {
      // A login from a known device waits in the hashing queue's first lane, where strangers' logins
      // cannot crowd it out; others in the next, ahead of sign-ups. One address holds a small share of a lane.
      const ticket = { lane: req.device === undefined ? 'sign-in' : 'known-device', client: addressKey(req) } as const;
      const user = await users.findByEmail(req.body.email);
      // Always one password check, against a dummy hash when there is no such user: an unknown email
      // takes as long as a wrong password.
      const { valid, needsRehash } = await passwords.verify(req.body.password, user?.passwordHash, ticket);
      if (!user || !valid || user.emailVerifiedAt === null) {
        logger.warn({ event: 'login_failed', account: req.account, address: req.ip, unconfirmed: user !== undefined && valid }, 'failed login');
        throw invalidCredentials();
      }
      if (needsRehash) {
        // Made with older settings: store today's. Not worth failing the login over if hashing is busy.
        await passwords.hash(req.body.password, ticket).then(
          (hash) => users.rehashPassword(user.id, hash),
          (error: unknown) => {
            logger.info({ err: error }, 'password re-hash postponed');
          },
        );
      }
      const issued = await sessions.create(user.id);
      // The password changed while it was being checked (a change and this login racing): the change
      // ended every other session, and this one, made from the old password, must not outlive it.
      if (await users.passwordChangedSince(user.id, user.passwordChangedAt)) {
        await sessions.revoke(issued.id);
        throw invalidCredentials();
      }
      const session = transport.signIn(res, issued);
      // A fresh device proof with every login: this client has now signed in to this account.
      const device = transport.giveDeviceProof(res, devices.issue(accountHash(user.email), user.passwordChangedAt));
      res.json({ ...session, ...device, expiresAt: issued.expiresAt.toISOString(), user: toPublicUser(user) });
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/logout')
    .post(requireAuth, documented({ summary: 'Sign out: the session ends at once', responses: { 204: noBody } }), async (req, res) => {
      if (req.auth) await sessions.revoke(req.auth.session.id);
      transport.signOut(res);
      res.status(204).end();
    })
    .all(methodNotAllowed('POST'));

  return router;
}
