import type { Generated } from 'kysely';

/**
 * The tables, as Kysely sees them: every query is typed against these. Times are milliseconds since
 * the epoch (INTEGER in SQLite, BIGINT in PostgreSQL), so both databases store and compare them the
 * same way. A migration that changes a table changes its type here too.
 */
export type Role = 'user' | 'admin';

export interface UsersTable {
  /** A random UUID: ids reveal neither how many users there are nor when one signed up. */
  id: string;
  /** Normalized (trimmed, lower-cased) and unique. */
  email: string;
  name: string | null;
  /** `$argon2id$...` or `$scrypt$...`: the algorithm and its parameters travel with the hash. */
  password_hash: string;
  /** When the user last changed their password (0: never); a re-hash with new settings does not count. */
  password_changed_at: Generated<number>;
  role: Role;
  created_at: number;
  /** When the owner of the address proved it by a link in a mail; null: not yet, and no login. */
  email_verified_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the session token (base64url). The token itself is never stored. */
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  /** The absolute end: created_at + SESSION_MAX_AGE. The idle end is last_used_at + SESSION_IDLE_TIMEOUT. */
  expires_at: number;
}

/** Values the app makes once and every instance shares, such as the key of the account hashes. */
export interface SettingsTable {
  name: string;
  value: string;
}

/** What a mail token is for: a token of one kind is never accepted as the other. */
export type MailTokenKind = 'verify-email' | 'reset-password';

export interface MailTokensTable {
  /** SHA-256 of the token in the link (base64url). The token itself is never stored. */
  id: string;
  user_id: string;
  kind: MailTokenKind;
  created_at: number;
  expires_at: number;
  /** When it was spent; null while it may still be used. */
  used_at: number | null;
}

// new:route table types

export interface Schema {
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
  mail_tokens: MailTokensTable;
  // new:route tables
}
