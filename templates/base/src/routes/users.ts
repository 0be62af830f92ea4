import { Router } from 'express';
import { z } from 'zod';
import { publicRoute, requireAuth, requireOwner, requireRole } from '../auth/access.ts';
import { tryingAccount } from '../auth/account-hash.ts';
import { HttpError } from '../http/http-error.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { plainText } from '../http/text.ts';
import { validate } from '../http/validate.ts';
import { documented, noBody } from '../openapi/documented.ts';
import { signUpRateLimit } from '../security/rate-limit.ts';
import { publicUser } from '../users/public-user.ts';
import { toPublicUser, type UserCursor } from '../users/user-store.ts';
import type { ApiServices } from './services.ts';

/** Every email is normalized here, once, the same way for sign-up and login: one account per address. */
export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Long passphrases welcome; the upper bound keeps hashing cost bounded. */
export const newPassword = z.string().min(12).max(128);

const displayName = plainText(100);

// Strict objects: a field the schema does not name (`role`, `isAdmin`, `__proto__`) is a 400, never
// silently passed on to code that might trust it (mass assignment).
const createUserBody = z.strictObject({ email, password: newPassword, name: displayName.optional() });

const changePasswordBody = z.strictObject({
  // No rule beyond the bounds: an old password may predate today's policy.
  currentPassword: z.string().min(1).max(128),
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

const userList = z.strictObject({ items: z.array(publicUser), nextCursor: z.string().nullable() });

/**
 * Sign-up, the caller's own account, and users by id or as a list. Each route's first handler states
 * who may call it.
 */
export function usersRouter({ config, logger, users, sessions, passwords, accountHash, limits, loginLimits }: ApiServices): Router {
  const router = Router();

  router
    .route('/')
    .post(publicRoute, documented({ summary: 'Sign up', responses: { 201: publicUser }, refusals: [409] }), validate({ body: createUserBody }), signUpRateLimit(config.rateLimit.auth, limits), async (req, res) => {
      // Hashed before the email is looked at, so a taken email answers after the same work as a new one
      // and timing does not tell which emails have accounts.
      const passwordHash = await passwords.hash(req.body.password);
      const user = await users.create({ email: req.body.email, name: req.body.name, passwordHash });
      if (!user) throw new HttpError(409, 'An account with this email already exists.');
      res.status(201).location(`${req.baseUrl}/${user.id}`).json(toPublicUser(user));
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

  // A wrong current password counts as a failed login, in the same counts: a stolen session cannot
  // guess its way to the password.
  const caller = tryingAccount(accountHash, (req) => req.auth?.user.email ?? '');
  router
    .route('/me/password')
    .patch(requireAuth, documented({ summary: 'Change the password; other sessions end', responses: { 204: noBody }, refusals: [403] }), validate({ body: changePasswordBody }), caller, ...loginLimits, async (req, res) => {
      const auth = req.auth;
      const user = auth && (await users.findById(auth.user.id));
      if (!auth || !user) throw new HttpError(404, 'There is nothing at this path.');
      if (!(await passwords.verify(req.body.currentPassword, user.passwordHash)).valid) {
        logger.warn({ event: 'password_change_failed', account: req.account, address: req.ip }, 'wrong current password');
        throw new HttpError(403, 'The current password is incorrect.');
      }
      await users.changePassword(user.id, await passwords.hash(req.body.newPassword));
      // Whoever else held a session (a stolen token, a forgotten device) is signed out now.
      await sessions.revokeOthers(user.id, auth.session.id);
      res.status(204).end();
    })
    .all(methodNotAllowed('PATCH'));

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
