import { Router } from 'express';
import { z } from 'zod';
import { publicRoute, requireAuth, requireOwner, requireRole } from '../auth/access.ts';
import { tryingAccount } from '../auth/account-hash.ts';
import { assertPasswordWithoutEmailName, givenPassword, newPassword, refusePasswordContainingEmail } from '../auth/password-policy.ts';
import { matchedByNoPassword } from '../auth/passwords.ts';
import { HttpError } from '../http/http-error.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { plainText } from '../http/text.ts';
import { validate } from '../http/validate.ts';
import { documented, noBody } from '../openapi/documented.ts';
import { addressKey, signUpRateLimit } from '../security/rate-limit.ts';
import { publicUser } from '../users/public-user.ts';
import { toPublicUser, type UserCursor } from '../users/user-store.ts';
import type { ApiServices } from './services.ts';

/** Every email is normalized here, once, the same way for sign-up and login: one account per address. */
export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

const displayName = plainText(100);

// Strict objects: a field the schema does not name (`role`, `isAdmin`, `__proto__`) is a 400, never
// silently passed on to code that might trust it (mass assignment).
const createUserBody = z
  .strictObject({ email, password: newPassword, name: displayName.optional() })
  .superRefine(refusePasswordContainingEmail('password'));

const changePasswordBody = z.strictObject({
  currentPassword: givenPassword,
  newPassword,
});

/** The list's cursor is opaque to clients: base64url of `<createdAt>.<id>` of the last user of a page. */
const encodeCursor = (cursor: UserCursor) => Buffer.from(`${String(cursor.createdAt)}.${cursor.id}`).toString('base64url');
const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/)
  .transform((value, context): UserCursor => {
    const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(Buffer.from(value, 'base64url').toString());
    if (!match) {
      context.addIssue({ code: 'custom', message: 'Invalid cursor' });
      return z.NEVER;
    }
    return { createdAt: Number(match[1]), id: match[2] ?? '' };
  });

const listUsersQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .default(20),
  cursor: cursor.optional(),
});

const userParams = z.strictObject({ id: z.uuid() });

/** A listed session's id (src/auth/sessions.ts): 22 base64url characters. */
const sessionParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });

/** The answer to every sign-up, new address or taken: the mail says which it was. */
export const SIGN_UP_ACCEPTED = { message: 'Check your inbox: a mail to this address says what to do next.' } as const;
const signUpAccepted = z.strictObject({ message: z.literal(SIGN_UP_ACCEPTED.message) });

const sessionList = z.strictObject({
  items: z.array(z.strictObject({ id: z.string(), createdAt: z.iso.datetime(), lastUsedAt: z.iso.datetime(), current: z.boolean() })),
});
const userList = z.strictObject({ items: z.array(publicUser), nextCursor: z.string().nullable() });

/**
 * Sign-up, the caller's own account, and users by id or as a list. Each route's first handler states
 * who may call it.
 */
export function usersRouter(services: ApiServices): Router {
  const { config, logger, users, sessions, passwords, accountHash, limits, passwordCheckLimit, mailTokens, outbox, mail } = services;
  const router = Router();

  router
    .route('/')
    .post(publicRoute, documented({ summary: 'Sign up (the mail says what happened)', responses: { 202: signUpAccepted } }), validate({ body: createUserBody }), signUpRateLimit(config.rateLimit.auth, limits), async (req, res) => {
      // Hashed before the email is looked at, and one insert tried either way, so a taken email answers
      // after the same work, with the same body, as a new one: nothing tells which emails have accounts.
      // The mail says what happened: a link to verify a new address; to its owner, a taken address's
      // reset link (never a verification link: someone else chose this account's password).
      // A taken address not yet verified may be a trap: someone signed up the owner's address with a
      // password of their own, and the owner still holds that first mail's verification link. Its
      // tokens are revoked, whatever the mail budget, and the password it was made with stops working,
      // so no verification link, the first or one asked for later, opens it to whoever chose that
      // password: the owner's way in is the reset link, which sets a password of their own.
      const { email: address, name } = req.body;
      // The hash waits in the queue's sign-up lane, behind every login: a flood of sign-ups cannot starve them.
      const passwordHash = await passwords.hash(req.body.password, { lane: 'sign-up', client: addressKey(req) });
      const created = await users.create({ email: address, name, passwordHash });
      res.status(202).json(SIGN_UP_ACCEPTED);
      const account = accountHash(address);
      let user = created;
      outbox.send(
        account,
        async () => (user ? mail(user, created ? 'verify-email' : 'sign-up-attempt') : undefined),
        async () => {
          user ??= await users.findByEmail(address);
          if (!created && user?.emailVerifiedAt === null) {
            await mailTokens.revoke(user.id, 'verify-email');
            await users.changePassword(user.id, matchedByNoPassword(user.passwordHash));
          }
        },
      );
    })
    .get(requireRole('admin'), documented({ summary: 'Users, a page at a time (admins)', responses: { 200: userList } }), validate({ query: listUsersQuery }), async (req, res) => {
      const page = await users.list({ limit: req.query.limit, after: req.query.cursor });
      res.json({ items: page.users.map(toPublicUser), nextCursor: page.next ? encodeCursor(page.next) : null });
    })
    .all(methodNotAllowed('GET', 'POST'));

  router
    .route('/me')
    .get(requireAuth, documented({ summary: 'The signed-in user', responses: { 200: publicUser } }), (req, res) => {
      res.json(req.auth?.user);
    })
    .all(methodNotAllowed('GET'));

  // Wrong current passwords are counted per session: a stolen session cannot guess its way to the
  // password, and no stranger's failed logins can keep the owner from changing theirs.
  const caller = tryingAccount(accountHash, (req) => req.auth?.user.email ?? '');
  router
    .route('/me/password')
    .patch(requireAuth, documented({ summary: 'Change the password; other sessions end', responses: { 204: noBody }, refusals: [403] }), validate({ body: changePasswordBody }), caller, passwordCheckLimit, async (req, res) => {
      const auth = req.auth;
      const user = auth && (await users.findById(auth.user.id));
      if (!auth || !user) throw new HttpError(404, 'There is nothing at this path.');
      if (!(await passwords.verify(req.body.currentPassword, user.passwordHash)).valid) {
        logger.warn({ event: 'password_change_failed', account: req.account, address: req.ip }, 'wrong current password');
        throw new HttpError(403, 'The current password is incorrect.');
      }
      assertPasswordWithoutEmailName(req.body.newPassword, user.email, 'body.newPassword');
      await users.changePassword(user.id, await passwords.hash(req.body.newPassword));
      // Whoever else held a session (a stolen token, a forgotten device) is signed out now, and a reset
      // link already mailed, which would set the password again, no longer works.
      await sessions.revokeOthers(user.id, auth.session.id);
      await mailTokens.revoke(user.id, 'reset-password');
      res.status(204).end();
    })
    .all(methodNotAllowed('PATCH'));

  router
    .route('/me/sessions')
    .get(requireAuth, documented({ summary: "The caller's sessions", responses: { 200: sessionList } }), async (req, res) => {
      const auth = req.auth;
      if (!auth) throw new HttpError(404, 'There is nothing at this path.');
      res.json({ items: await sessions.list(auth.user.id, auth.session.id) });
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/me/sessions/:id')
    // Signed in, and only the caller's own sessions are found: another user's is the 404 of an unknown id.
    .delete(requireAuth, documented({ summary: 'End one of your sessions', responses: { 204: noBody } }), validate({ params: sessionParams }), async (req, res) => {
      const auth = req.auth;
      if (!auth || !(await sessions.revokeListed(auth.user.id, req.params.id))) throw new HttpError(404, 'There is nothing at this path.');
      res.status(204).end();
    })
    .all(methodNotAllowed('DELETE'));

  router
    .route('/:id')
    .get(requireOwner(({ id }) => id), documented({ summary: 'A user (themself, or any for admins)', responses: { 200: publicUser } }), validate({ params: userParams }), async (req, res) => {
      const user = await users.findById(req.params.id);
      if (!user) throw new HttpError(404, 'There is nothing at this path.');
      res.json(toPublicUser(user));
    })
    .all(methodNotAllowed('GET'));

  return router;
}
