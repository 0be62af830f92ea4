import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { transport } from './transport.ts';

/**
 * Device proofs (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a client that signed
 * in to an account is given a proof of it, `<nonce>.<mac>`, where the mac is an HMAC of the account
 * hash and the nonce under a key kept in the database. A login that shows a valid proof for the account
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
  /** A fresh proof for `account` (an account hash, src/auth/account-hash.ts). */
  issue(account: string): string;
  /** The proof's nonce if it was issued for `account` with this key; undefined otherwise. */
  check(account: string, proof: string): string | undefined;
}

const NONCE_BYTES = 16;
const PROOF = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function deviceProofs(key: string): DeviceProofs {
  const mac = (account: string, nonce: string) => createHmac('sha256', key).update(`${account}|${nonce}`).digest('base64url');
  return {
    issue(account) {
      const nonce = randomBytes(NONCE_BYTES).toString('base64url');
      return `${nonce}.${mac(account, nonce)}`;
    },
    check(account, proof) {
      const [, nonce = '', given = ''] = PROOF.exec(proof) ?? [];
      if (nonce === '') return undefined;
      // The text, not the bytes it decodes to: base64url has several spellings of the same last byte.
      // In constant time, so timing tells nothing about how much of a forged mac was right.
      return timingSafeEqual(Buffer.from(mac(account, nonce)), Buffer.from(given)) ? nonce : undefined;
    },
  };
}

/**
 * Sets `req.device` to the nonce of a valid proof for `req.account` (after tryingAccount()); a missing,
 * malformed or foreign proof leaves it unset, and the login is counted like any stranger's.
 */
export function knownDevice(proofs: DeviceProofs): RequestHandler {
  return (req, _res, next) => {
    const proof = transport.readDeviceProof(req);
    req.device = proof === undefined || req.account === undefined ? undefined : proofs.check(req.account, proof);
    next();
  };
}

declare module 'node:http' {
  interface IncomingMessage {
    /** The nonce of a valid device proof for `account`, set by knownDevice(). */
    device?: string | undefined;
  }
}
