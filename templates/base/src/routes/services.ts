import type { AccountHash } from '../auth/account-hash.ts';
import type { DeviceProofs } from '../auth/device-proof.ts';
import type { MailTokenStore } from '../auth/mail-tokens.ts';
import type { PasswordHasher } from '../auth/passwords.ts';
import type { SessionStore } from '../auth/sessions.ts';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Schema } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { AccountMail } from '../mail/account-mail.ts';
import type { Outbox } from '../mail/outbox.ts';
import type { RequestHandler } from 'express';
import type { LimiterContext } from '../security/rate-limit.ts';
import type { UserStore } from '../users/user-store.ts';

/** What the routes under /api/v1 work with, made once in app.ts. */
export interface ApiServices {
  readonly config: Config;
  readonly logger: Logger;
  /** The database, for routes with tables of their own (`npm run new:route` makes them). */
  readonly db: Kysely<Schema>;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly passwords: PasswordHasher;
  readonly accountHash: AccountHash;
  readonly limits: LimiterContext;
  /** Proofs that a client signed in to an account before (src/auth/device-proof.ts). */
  readonly devices: DeviceProofs;
  /** The login limits, after tryingAccount() (src/auth/account-hash.ts) and knownDevice(). */
  readonly loginLimits: readonly RequestHandler[];
  /** Wrong current passwords per session, for routes a signed-in caller proves a password on. */
  readonly passwordCheckLimit: RequestHandler;
  /** The tokens of the links in verification and reset mails. */
  readonly mailTokens: MailTokenStore;
  /** Sends mail after the response, within each account's budget (src/mail/outbox.ts). */
  readonly outbox: Outbox;
  /** A mail to a user with a fresh link in it (src/mail/account-mail.ts). */
  readonly mail: AccountMail;
}
