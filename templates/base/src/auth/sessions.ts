import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionPolicy } from '../config.ts';
import { prepareQuery } from '../db/prepared-query.ts';
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

/** One of a user's sessions as the user may see it: never its token nor the token's hash. */
export interface ListedSession {
  /** A name for the session derived from its stored hash, which cannot be turned back into either. */
  readonly id: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  /** The session the list was asked with. */
  readonly current: boolean;
}

export interface SessionStore {
  /** A new session; past `maxPerUser`, the user's oldest sessions end. */
  create(userId: string): Promise<IssuedSession>;
  /** The session and its user, if the token is one of ours and neither idle nor past its lifetime. */
  authenticate(token: string): Promise<{ session: ActiveSession; user: PublicUser } | undefined>;
  revoke(sessionId: string): Promise<void>;
  /** Ends every session of the user but `keep` (after a password change, say). */
  revokeOthers(userId: string, keep: string): Promise<void>;
  /** Ends every session of the user (after a password reset). */
  revokeAll(userId: string): Promise<void>;
  /** The user's live sessions, newest first; `current` marks the one with the stored id `currentId`. */
  list(userId: string, currentId: string): Promise<ListedSession[]>;
  /** Ends the user's session listed as `listedId`; false when the user has none by that id. */
  revokeListed(userId: string, listedId: string): Promise<boolean>;
  /** Deletes expired sessions; returns how many. */
  prune(): Promise<number>;
}

/** Stored by hash: a copy of the database (a backup, a leak) holds no token anyone could use. */
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * What a user sees as a session's id: a hash of its stored id. Showing the stored id would put a
 * value from the database in every client's hands; this one leads back to neither it nor the token.
 */
const listedIdOf = (storedId: string) => createHash('sha256').update(`listed-session:${storedId}`).digest('base64url').slice(0, 22);

/**
 * Opaque sessions in the database. A session ends `idleMs` after its last use (each use slides it on)
 * and `maxAgeMs` after sign-in at the latest. The last use is written at most once per `touchEveryMs`
 * (a tenth of the idle timeout, at most a minute) rather than on every request. A user holds at most
 * `maxPerUser` sessions: 30 sign-ins do not leave 30 live tokens behind.
 */
export function createSessionStore(db: Kysely<Schema>, policy: SessionPolicy, now: () => number = Date.now): SessionStore {
  const touchEveryMs = Math.min(60_000, Math.floor(policy.idleMs / 10));
  const expiryOf = (lastUsedAt: number, expiresAt: number) => new Date(Math.min(lastUsedAt + policy.idleMs, expiresAt));

  // Every signed-in request runs these two (the second at most once per touchEveryMs): prepared once.
  // The user's role is read with the session, in the same query, on every request: a role change, a
  // logout or a revoked session counts from the very next request.
  const liveSession = prepareQuery(db, (params: { id: string; now: number; idleSince: number }) =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.last_used_at', 'sessions.expires_at', 'users.id', 'users.email', 'users.name', 'users.role'])
      .where('sessions.id', '=', params.id)
      .where('sessions.expires_at', '>', params.now)
      .where('sessions.last_used_at', '>', params.idleSince),
  );
  const touch = prepareQuery(db, (params: { id: string; now: number }) => db.updateTable('sessions').set({ last_used_at: params.now }).where('id', '=', params.id));

  return {
    async create(userId) {
      const token = randomBytes(TOKEN_BYTES).toString('base64url');
      const id = hashOf(token);
      const time = now();
      const expiresAt = time + policy.maxAgeMs;
      await db.insertInto('sessions').values({ id, user_id: userId, created_at: time, last_used_at: time, expires_at: expiresAt }).execute();
      // At most maxPerUser: the newest others are kept, and a device forgotten long ago goes first.
      const kept = db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', '!=', id)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(policy.maxPerUser - 1);
      await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', id).where('id', 'not in', kept).execute();
      return { id, token, expiresAt: expiryOf(time, expiresAt), lifetimeEndsAt: new Date(expiresAt) };
    },

    async authenticate(token) {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const id = hashOf(token);
      const time = now();
      const row = await liveSession.first({ id, now: time, idleSince: time - policy.idleMs });
      if (row === undefined) return undefined;
      let lastUsedAt = row.last_used_at;
      if (time - lastUsedAt >= touchEveryMs) {
        lastUsedAt = time;
        await touch.run({ id, now: time });
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

    async revokeAll(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    async list(userId, currentId) {
      const time = now();
      const rows = await db
        .selectFrom('sessions')
        .select(['id', 'created_at', 'last_used_at'])
        .where('user_id', '=', userId)
        .where('expires_at', '>', time)
        .where('last_used_at', '>', time - policy.idleMs)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((row) => ({
        id: listedIdOf(row.id),
        createdAt: new Date(row.created_at),
        lastUsedAt: new Date(row.last_used_at),
        current: row.id === currentId,
      }));
    },

    async revokeListed(userId, listedId) {
      // A user has at most maxPerUser sessions: finding the one by its listed id is a short scan.
      const rows = await db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
      const match = rows.find((row) => listedIdOf(row.id) === listedId);
      if (match === undefined) return false;
      await db.deleteFrom('sessions').where('id', '=', match.id).where('user_id', '=', userId).execute();
      return true;
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
