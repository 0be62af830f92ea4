import { createHmac } from 'node:crypto';
import type { Request, RequestHandler } from 'express';

/**
 * An account's stand-in wherever an email must not appear (rate-limit keys, which may live in Redis;
 * security events in the log): an HMAC of the normalized email under a key kept in the database. The
 * same account always gives the same value, so its failed logins can be counted and its events
 * followed, but nobody holding the log or Redis can read, or test guesses of, the emails in it.
 */
export type AccountHash = (email: string) => string;

export function accountHasher(key: string): AccountHash {
  return (email) => createHmac('sha256', key).update(email).digest('base64url').slice(0, 22);
}

/**
 * Names the account a request tries to prove a password for (a login: the email given; a password
 * change: the caller's), as `req.account`, for the login limits and the security log.
 */
export function tryingAccount(hash: AccountHash, emailOf: (req: Request) => string): RequestHandler {
  return (req, _res, next) => {
    req.account = hash(emailOf(req));
    next();
  };
}

declare module 'node:http' {
  interface IncomingMessage {
    /** The keyed hash of the account a password is tried for, set by tryingAccount(). */
    account?: string;
  }
}
