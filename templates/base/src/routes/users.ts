import { Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../http/http-error.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { validate } from '../http/validate.ts';
import { toPublicUser, type UserStore } from '../users/user-store.ts';

/** A trimmed, lower-cased email: one account per address, however it is typed. */
export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

// Strict objects: a field the schema does not name (`role`, `isAdmin`, `__proto__`) is a 400, never
// silently passed on to code that might trust it (mass assignment).
const createUserBody = z.strictObject({
  email,
  // Long passphrases welcome; the upper bound keeps hashing cost bounded.
  password: z.string().min(12).max(128),
  name: z.string().trim().min(1).max(100).optional(),
});

const listUsersQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .default(20),
  cursor: z.uuid().optional(),
});

const userParams = z.strictObject({ id: z.uuid() });

/** Example routes: create, list and read users (kept in memory). */
export function usersRouter(users: UserStore): Router {
  const router = Router();

  router
    .route('/')
    .post(validate({ body: createUserBody }), async (req, res) => {
      const user = await users.create(req.body);
      if (!user) throw new HttpError(409, 'An account with this email already exists.');
      res.status(201).location(`${req.baseUrl}/${user.id}`).json(toPublicUser(user));
    })
    .get(validate({ query: listUsersQuery }), (req, res) => {
      const { limit, cursor } = req.query;
      if (cursor !== undefined && !users.findById(cursor)) {
        throw new HttpError(400, 'The request is not valid.', {
          errors: [{ path: 'query.cursor', message: 'Unknown cursor' }],
        });
      }
      const page = users.list({ limit, cursor });
      res.json({ items: page.users.map(toPublicUser), nextCursor: page.nextCursor });
    })
    .all(methodNotAllowed('GET', 'POST'));

  router
    .route('/:id')
    .get(validate({ params: userParams }), (req, res) => {
      const user = users.findById(req.params.id);
      if (!user) throw new HttpError(404, 'No user has this id.');
      res.json(toPublicUser(user));
    })
    .all(methodNotAllowed('GET'));

  return router;
}
