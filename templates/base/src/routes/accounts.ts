import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { publicRoute } from '../auth/access.ts';
import { MAIL_TOKEN_SHAPE, type TokenRefusal } from '../auth/mail-tokens.ts';
import { assertPasswordWithoutEmailName, newPassword } from '../auth/password-policy.ts';
import { HttpError } from '../http/http-error.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { validate } from '../http/validate.ts';
import type { MessageName } from '../mail/messages.ts';
import { documented, noBody } from '../openapi/documented.ts';
import { mailRequestRateLimit } from '../security/mail-limits.ts';
import { forgetFailedLogins } from '../security/rate-limit.ts';
import type { User } from '../users/user-store.ts';
import type { ApiServices } from './services.ts';
import { email } from './users.ts';

const token = z.string().regex(MAIL_TOKEN_SHAPE, 'Not a token from one of our mails (43 characters: A-Z, a-z, 0-9, - and _)');

const verifyBody = z.strictObject({ token });
const addressBody = z.strictObject({ email });
const resetBody = z.strictObject({ token, newPassword });

/** The answer to every request for a mail, whether or not the address has an account. */
export const MAIL_REQUESTED = { message: 'If this address has an account, a mail is on its way to it.' } as const;
const mailRequested = z.strictObject({ message: z.literal(MAIL_REQUESTED.message) });

/**
 * One status for every refused token, 400, with a detail that says what to do: the holder of a
 * token learns nothing from it they could not tell from the mail itself.
 */
const REFUSALS: Readonly<Record<TokenRefusal, string>> = {
  unknown: 'This link is not valid (a newer one may have replaced it): ask for a new one.',
  used: 'This link was already used: ask for a new one if you need to.',
  expired: 'This link has expired: ask for a new one.',
};
const refused = (why: TokenRefusal) => new HttpError(400, REFUSALS[why]);

/**
 * Address verification and password reset, all public. The token travels in the body, never in a
 * URL this API logs. Requests for a mail answer 202 at once, the same for every address: the lookup
 * and the mail happen after the response, within each account's mail budget (src/mail/outbox.ts).
 */
export function accountsRouter(services: ApiServices): Router {
  const { config, logger, users, sessions, passwords, accountHash, limits, loginLimits, mailTokens, outbox, mail } = services;
  const router = Router();
  const mailRequests = mailRequestRateLimit(config.rateLimit.auth, limits);

  /** Answers 202, then mails the address's user, when there is one and `wants` says so. */
  const requestMail =
    (message: MessageName, wants: (user: User) => boolean): RequestHandler =>
    (req, res) => {
      const address = (req.body as { email: string }).email;
      const account = accountHash(address);
      res.status(202).json(MAIL_REQUESTED);
      outbox.send(account, async () => {
        const user = await users.findByEmail(address);
        return user && wants(user) ? mail(user, message) : undefined;
      });
    };

  router
    .route('/verify-email')
    .post(publicRoute, documented({ summary: "Prove the address with the token from the verification mail", responses: { 204: noBody } }), validate({ body: verifyBody }), async (req, res) => {
      const redemption = await mailTokens.redeem(req.body.token, 'verify-email');
      if ('refused' in redemption) throw refused(redemption.refused);
      await users.markVerified(redemption.userId);
      res.status(204).end();
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/verify-email/resend')
    .post(publicRoute, documented({ summary: 'Send the verification mail again', responses: { 202: mailRequested } }), validate({ body: addressBody }), mailRequests, requestMail('verify-email', (user) => user.emailVerifiedAt === null))
    .all(methodNotAllowed('POST'));

  router
    .route('/password-reset')
    // Unverified accounts too: a reset proves the address as well as a verification does.
    .post(publicRoute, documented({ summary: 'Mail a password reset link', responses: { 202: mailRequested } }), validate({ body: addressBody }), mailRequests, requestMail('reset-password', () => true))
    .all(methodNotAllowed('POST'));

  router
    .route('/password-reset/confirm')
    .post(publicRoute, documented({ summary: 'Set a new password with the token from the reset mail; every session ends', responses: { 204: noBody } }), validate({ body: resetBody }), async (req, res) => {
      // Checked before the new password is hashed, so a made-up token costs no hashing.
      const checked = await mailTokens.check(req.body.token, 'reset-password');
      if ('refused' in checked) throw refused(checked.refused);
      // The policy's last rule needs the account: a new password must not contain the address's name.
      const owner = await users.findById(checked.userId);
      if (!owner) throw refused('unknown');
      assertPasswordWithoutEmailName(req.body.newPassword, owner.email, 'body.newPassword');
      const passwordHash = await passwords.hash(req.body.newPassword);
      const redemption = await mailTokens.redeem(req.body.token, 'reset-password');
      if ('refused' in redemption) throw refused(redemption.refused);
      const user = await users.findById(redemption.userId);
      if (!user) throw refused('unknown');
      await users.changePassword(user.id, passwordHash);
      // The mail reached the address's owner: that proves it as a verification link would.
      await users.markVerified(user.id);
      // Whoever held a session, a thief included, is signed out; the owner signs in with the new password.
      await sessions.revokeAll(user.id);
      req.account = accountHash(user.email);
      await forgetFailedLogins(loginLimits, req).catch((error: unknown) => {
        logger.warn({ err: error, account: req.account }, 'could not clear the failed logins after a reset');
      });
      logger.info({ event: 'password_reset', account: req.account }, 'password reset');
      res.status(204).end();
    })
    .all(methodNotAllowed('POST'));

  return router;
}
