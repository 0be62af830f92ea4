import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionPolicy } from '../config.ts';
import type { Schema } from '../db/schema.ts';
import type { PublicUser } from '../users/user-store.ts';

/** 256 random bits, base64url: 43 characters. Anything else is not a token this API issued. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedSession {
  /** The stored id (the token's hash). */
  readonly id: string;
  /** Given to the client once and never stored: the database keeps only its SHA-256. */
  readonly token: string;
  /** When it ends if it is not used again (the idle timeout), which each use moves on. */
  readonly expiresAt: Date;
  /** When it ends however often it is used (the absolute lifetime). */
  readonly lifetimeEndsAt: Date;
}

export interface ActiveSession {
  /** The stored id (the token's hash), to revoke this session or keep it while revoking others. */
  readonly id: string;
  readonly expiresAt: Date;
}

export interface SessionStore {
  create(userId: string): Promise<IssuedSession>;
  /** The session and its user, if the token is one of ours and neither idle nor past its lifetime. */
  authenticate(token: string): Promise<{ session: ActiveSession; user: PublicUser } | undefined>;
  revoke(sessionId: string): Promise<void>;
  /** Ends every session of the user but `keep` (after a password change, say). */
  revokeOthers(userId: string, keep: string): Promise<void>;
  /** Deletes expired sessions; returns how many. */
  prune(): Promise<number>;
}

/** Stored by hash: a copy of the database (a backup, a leak) holds no token anyone could use. */
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Opaque sessions in the database. A session ends `idleMs` after its last use (each use slides it on)
 * and `maxAgeMs` after sign-in at the latest. The last use is written at most once per `touchEveryMs`
 * (a tenth of the idle timeout, at most a minute) rather than on every request.
 */
export function createSessionStore(db: Kysely<Schema>, policy: SessionPolicy, now: () => number = Date.now): SessionStore {
  const touchEveryMs = Math.min(60_000, Math.floor(policy.idleMs / 10));
  const expiryOf = (lastUsedAt: number, expiresAt: number) => new Date(Math.min(lastUsedAt + policy.idleMs, expiresAt));

  return {
    async create(userId) {
      const token = randomBytes(TOKEN_BYTES).toString('base64url');
      const id = hashOf(token);
      const time = now();
      const expiresAt = time + policy.maxAgeMs;
      await db.insertInto('sessions').values({ id, user_id: userId, created_at: time, last_used_at: time, expires_at: expiresAt }).execute();
      return { id, token, expiresAt: expiryOf(time, expiresAt), lifetimeEndsAt: new Date(expiresAt) };
    },

    async authenticate(token) {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const id = hashOf(token);
      const time = now();
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.last_used_at', 'sessions.expires_at', 'users.id', 'users.email', 'users.name', 'users.role'])
        .where('sessions.id', '=', id)
        .where('sessions.expires_at', '>', time)
        .where('sessions.last_used_at', '>', time - policy.idleMs)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      let lastUsedAt = row.last_used_at;
      if (time - lastUsedAt >= touchEveryMs) {
        lastUsedAt = time;
        await db.updateTable('sessions').set({ last_used_at: time }).where('id', '=', id).execute();
      }
      return {
        session: { id, expiresAt: expiryOf(lastUsedAt, row.expires_at) },
        user: { id: row.id, email: row.email, name: row.name, role: row.role },
      };
    },

    async revoke(sessionId) {
      await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },

    async revokeOthers(userId, keep) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keep).execute();
    },

    async prune() {
      const time = now();
      const result = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', time), eb('last_used_at', '<=', time - policy.idleMs)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
