import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { transport } from './transport.ts';

/**
 * Device proofs (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a client that signed
 * in to an account is given a proof of it, `<nonce>.<mac>`, where the mac is an HMAC of the account
 * hash, the time the account's password last changed, and the nonce, under a key kept in the database.
 * A password change or reset thus retires every proof given before it: whoever changed the password
 * (perhaps because a device was lost) leaves no device known until it signs in with the new one. A login that shows a valid proof for the account
 * it names comes from a client that knew the password before: its failures are counted against that
 * proof alone (the `login-device` limit, src/security/rate-limit.ts), never against the ceilings that
 * strangers' guesses fill, so an attack on the account cannot lock its owner out of a known device.
 *
 * The proof is not a credential: it saves no password check, and only sets which count a failure
 * goes to. Nothing is stored per proof; the key is random (128-bit nonce, 256-bit mac), so a proof
 * cannot be guessed or moved to another account, and it is never logged (its nonce, which proves
 * nothing alone, keys its limit). How it travels is the session transport's (src/auth/transport.ts): a
 * `__Host-device` cookie, or a `deviceToken` in the login body and response.
 */
export interface DeviceProofs {
  /** A fresh proof for `account` (an account hash, src/auth/account-hash.ts) and its password's last change. */
  issue(account: string, passwordChangedAt: number): string;
  /** The proof's nonce if it was issued for `account`, since its password's last change, with this key; undefined otherwise. */
  check(account: string, passwordChangedAt: number, proof: string): string | undefined;
}

const NONCE_BYTES = 16;
const PROOF = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function deviceProofs(key: string): DeviceProofs {
  const mac = (account: string, passwordChangedAt: number, nonce: string) =>
    createHmac('sha256', key).update(`${account}|${String(passwordChangedAt)}|${nonce}`).digest('base64url');
  return {
    issue(account, passwordChangedAt) {
      const nonce = randomBytes(NONCE_BYTES).toString('base64url');
      return `${nonce}.${mac(account, passwordChangedAt, nonce)}`;
    },
    check(account, passwordChangedAt, proof) {
      const [, nonce = '', given = ''] = PROOF.exec(proof) ?? [];
      if (nonce === '') return undefined;
      // The text, not the bytes it decodes to: base64url has several spellings of the same last byte.
      // In constant time, so timing tells nothing about how much of a forged mac was right.
      return timingSafeEqual(Buffer.from(mac(account, passwordChangedAt, nonce)), Buffer.from(given)) ? nonce : undefined;
    },
  };
}

/** When the password of the account a login names last changed (0: never); undefined: no such account. */
export type PasswordChangedAt = (req: Request) => Promise<number | undefined>;

/**
 * Sets `req.device` to the nonce of a valid proof for `req.account` (after tryingAccount()); a missing,
 * malformed, foreign or retired proof leaves it unset, and the login is counted like any stranger's.
 * The account is looked up (one read by a unique index) only for a login that shows a well-formed proof.
 */
export function knownDevice(proofs: DeviceProofs, passwordChangedAt: PasswordChangedAt): RequestHandler {
  return async (req, _res, next) => {
    const proof = transport.readDeviceProof(req);
    const account = req.account;
    req.device = undefined;
    if (proof !== undefined && account !== undefined && PROOF.test(proof)) {
      const changedAt = await passwordChangedAt(req);
      if (changedAt !== undefined) req.device = proofs.check(account, changedAt, proof);
    }
    next();
  };
}

declare module 'node:http' {
  interface IncomingMessage {
    /** The nonce of a valid device proof for `account`, set by knownDevice(). */
    device?: string | undefined;
  }
}
