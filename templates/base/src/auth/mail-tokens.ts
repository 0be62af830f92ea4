import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MailTokenKind, Schema } from '../db/schema.ts';

export type { MailTokenKind } from '../db/schema.ts';

/** 256 random bits, base64url: 43 characters, the same shape as a session token. */
const TOKEN_BYTES = 32;
export const MAIL_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** How long a link in a mail works: a day to confirm an address, half an hour to reset a password. */
export const MAIL_TOKEN_LIFETIME_MS: Readonly<Record<MailTokenKind, number>> = {
  'verify-email': 24 * 60 * 60_000,
  'reset-password': 30 * 60_000,
};

/** Why a token was refused: the problem's detail says which, so a person knows what to do next. */
export type TokenRefusal = 'unknown' | 'used' | 'expired';

export type Redemption = { readonly userId: string } | { readonly refused: TokenRefusal };

export interface MailTokenStore {
  /** A new token of `kind` for the user; any older unused one of that kind stops working. */
  issue(userId: string, kind: MailTokenKind): Promise<string>;
  /** Whether the token would be accepted now, without spending it (to refuse early, before costly work). */
  check(token: string, kind: MailTokenKind): Promise<Redemption>;
  /** Spends the token: only the first of any number of concurrent redemptions gets the user. */
  redeem(token: string, kind: MailTokenKind): Promise<Redemption>;
  /** Every unused token of `kind` the user holds stops working: a link already mailed is dead. */
  revoke(userId: string, kind: MailTokenKind): Promise<void>;
}

/** Stored by hash: a copy of the database holds no link anyone could use. */
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Single-use tokens for the links in mails, one kind each (a verification token is not a reset
 * token). A token of one kind is looked up with its kind, so one used as the other is unknown. Used
 * tokens are kept until they expire, to tell "already used" from "unknown"; issuing deletes the
 * user's expired ones. A user has at most one unused token of each kind (a unique index).
 */
export function createMailTokenStore(db: Kysely<Schema>, now: () => number = Date.now): MailTokenStore {
  const find = async (token: string, kind: MailTokenKind) => {
    if (!MAIL_TOKEN_SHAPE.test(token)) return undefined;
    return db.selectFrom('mail_tokens').select(['id', 'user_id', 'expires_at', 'used_at']).where('id', '=', hashOf(token)).where('kind', '=', kind).executeTakeFirst();
  };
  const judge = (row: Awaited<ReturnType<typeof find>>): Redemption => {
    if (row === undefined) return { refused: 'unknown' };
    if (row.used_at !== null) return { refused: 'used' };
    if (row.expires_at <= now()) return { refused: 'expired' };
    return { userId: row.user_id };
  };

  return {
    async issue(userId, kind) {
      const token = randomBytes(TOKEN_BYTES).toString('base64url');
      const time = now();
      await db.deleteFrom('mail_tokens').where('user_id', '=', userId).where('expires_at', '<=', time).execute();
      const row = { id: hashOf(token), created_at: time, expires_at: time + MAIL_TOKEN_LIFETIME_MS[kind] };
      // The unique index on unused tokens (user, kind) makes this one statement replace the unused
      // token there may be, atomically: of two issued at once, only the later one works.
      await db
        .insertInto('mail_tokens')
        .values({ ...row, user_id: userId, kind, used_at: null })
        .onConflict((conflict) => conflict.columns(['user_id', 'kind']).where('used_at', 'is', null).doUpdateSet(row))
        .execute();
      return token;
    },

    check: async (token, kind) => judge(await find(token, kind)),

    async redeem(token, kind) {
      const row = await find(token, kind);
      const verdict = judge(row);
      if (row === undefined || 'refused' in verdict) return verdict;
      // Spent only if still unspent and unexpired: of two redemptions racing, one updates the row.
      const result = await db
        .updateTable('mail_tokens')
        .set({ used_at: now() })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now())
        .executeTakeFirst();
      return result.numUpdatedRows === 1n ? verdict : { refused: 'used' };
    },

    async revoke(userId, kind) {
      await db.deleteFrom('mail_tokens').where('user_id', '=', userId).where('kind', '=', kind).where('used_at', 'is', null).execute();
    },
  };
}
