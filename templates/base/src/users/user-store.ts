import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { engine } from '../db/engine.ts';
import { prepareQuery } from '../db/prepared-query.ts';
import type { Role, Schema, UsersTable } from '../db/schema.ts';

export type { Role } from '../db/schema.ts';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  readonly passwordHash: string;
  readonly passwordChangedAt: number;
  readonly createdAt: number;
  /** When the address was proved by a link in a mail; null until then, and no login until then. */
  readonly emailVerifiedAt: number | null;
}

/** What the API shows of a user: never the password hash. */
export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
}

export function toPublicUser(user: Pick<User, keyof PublicUser>): PublicUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** A user as the list reads them: what the API shows, and where the user stands in the list's order. */
export interface ListedUser extends PublicUser {
  readonly createdAt: number;
}

/** Where a page of the user list starts: just after this user, in (createdAt, id) order. */
export interface UserCursor {
  readonly createdAt: number;
  readonly id: string;
}

export interface UserStore {
  /** Undefined when the email is taken (also when another sign-up took it a moment earlier). */
  create(input: { email: string; name?: string | undefined; passwordHash: string }): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  /** Oldest first, `limit` at most, after `after`; `next` is where the following page starts. */
  list(options: { limit: number; after?: UserCursor | undefined }): Promise<{ users: ListedUser[]; next: UserCursor | null }>;
  /** A new password: its hash, and the time it changed. */
  changePassword(id: string, passwordHash: string): Promise<void>;
  /** The same password hashed with today's settings: not a change. */
  rehashPassword(id: string, passwordHash: string): Promise<void>;
  /** Whether the password changed after `since` (a login's check of it). */
  passwordChangedSince(id: string, since: number): Promise<boolean>;
  /** The address is proved (a verification or reset link reached it); the first time is kept. */
  markVerified(id: string): Promise<void>;
  /** False when no user has this email. */
  setRole(email: string, role: Role): Promise<boolean>;
  /**
   * Deletes the accounts never verified, made UNVERIFIED_ACCOUNT_KEPT_MS or longer before `now`, that
   * hold no link still working; their sessions and tokens go with them (ON DELETE CASCADE). Returns how many.
   */
  pruneUnverified(now?: number): Promise<number>;
}

/**
 * How long an account never verified is kept: well past its verification link's day, so anyone can
 * sign up any address without the table filling with accounts nobody will open, and the address is
 * free again for its owner.
 */
export const UNVERIFIED_ACCOUNT_KEPT_MS = 7 * 24 * 60 * 60_000;

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    passwordChangedAt: row.password_changed_at,
    createdAt: row.created_at,
    emailVerifiedAt: row.email_verified_at,
  };
}

/**
 * Users in the database. Every value reaches SQL as a bound parameter through Kysely's query builder:
 * nothing here concatenates request data into SQL. Emails arrive normalized (routes/users.ts).
 */
export function createUserStore(db: Kysely<Schema>): UserStore {
  // What requests run most (a user by id or email, a page of the list), prepared once.
  const byId = prepareQuery(db, (params: { id: string }) => db.selectFrom('users').selectAll().where('id', '=', params.id));
  const byEmail = prepareQuery(db, (params: { email: string }) => db.selectFrom('users').selectAll().where('email', '=', params.email));
  // The list reads what it shows and no more: never a password hash. The limit is cast, which changes
  // nothing but the plan's shape: SQLite compiles a statement again whenever a bare `limit ?` parameter
  // is bound (it plans with the value), and that took longer than running it.
  const inListOrder = (limit: number) =>
    db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'created_at'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(sql<number>`cast(${limit} as integer)`);
  const firstPage = prepareQuery(db, (params: { limit: number }) => inListOrder(params.limit));
  // Keyset pagination: the index on (created_at, id) finds the page directly, however deep it is.
  const laterPage = prepareQuery(db, (params: { limit: number; createdAt: number; id: string }) =>
    inListOrder(params.limit).where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(params.createdAt, params.id))),
  );
  const userOf = (row: Selectable<UsersTable> | undefined) => (row === undefined ? undefined : toUser(row));

  return {
    async create({ email, name, passwordHash }) {
      const row = {
        id: randomUUID(),
        email,
        name: name ?? null,
        password_hash: passwordHash,
        role: 'user' as const,
        created_at: Date.now(),
        email_verified_at: null,
      };
      try {
        await db.insertInto('users').values(row).execute();
      } catch (error) {
        // The unique constraint decides between two sign-ups racing for one email: one creates the
        // account, the other is a sign-up with a taken address.
        if (engine.isUniqueViolation(error)) return undefined;
        throw error;
      }
      return toUser({ ...row, password_changed_at: 0 });
    },

    findById: async (id) => userOf(await byId.first({ id })),

    findByEmail: async (email) => userOf(await byEmail.first({ email })),

    async list({ limit, after }) {
      // One row more than asked for: whether there is a next page.
      const rows = after ? await laterPage.all({ limit: limit + 1, createdAt: after.createdAt, id: after.id }) : await firstPage.all({ limit: limit + 1 });
      const users = rows.slice(0, limit).map((row) => ({ id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at }));
      const last = users.at(-1);
      return { users, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    },

    async changePassword(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash, password_changed_at: Date.now() }).where('id', '=', id).execute();
    },

    async rehashPassword(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },

    async passwordChangedSince(id, since) {
      const row = await db.selectFrom('users').select('password_changed_at').where('id', '=', id).executeTakeFirst();
      return row === undefined || row.password_changed_at > since;
    },

    async markVerified(id) {
      await db.updateTable('users').set({ email_verified_at: Date.now() }).where('id', '=', id).where('email_verified_at', 'is', null).execute();
    },

    async setRole(email, role) {
      const result = await db.updateTable('users').set({ role }).where('email', '=', email).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async pruneUnverified(now = Date.now()) {
      const result = await db
        .deleteFrom('users')
        .where('email_verified_at', 'is', null)
        .where('created_at', '<=', now - UNVERIFIED_ACCOUNT_KEPT_MS)
        // A link mailed lately (a reset after a second sign-up) still works until it expires.
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('mail_tokens').select('mail_tokens.id').whereRef('mail_tokens.user_id', '=', 'users.id').where('mail_tokens.used_at', 'is', null).where('mail_tokens.expires_at', '>', now))),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
