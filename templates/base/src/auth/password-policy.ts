import { createRequire } from 'node:module';
import { z } from 'zod';
import { HttpError } from '../http/http-error.ts';

/** Long passphrases welcome; the upper bound keeps hashing cost bounded. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const EMAIL_NAME_RULE = 'The password must not contain the part of the email address before the @';

/**
 * Half of a character (a lone surrogate, U+D800 to U+DFFF), which a JSON body can carry as `\ud800`.
 * Hashing encodes the password as UTF-8, which has no such thing and writes U+FFFD in its place, so
 * `pass\ud800word` and `pass\udfffword` would be one password. `/\p{Cs}/u` finds what
 * `String#isWellFormed` refuses, with the lib of every Node version this project supports.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const WELL_FORMED_RULE = 'The password must not hold half of a character (a lone surrogate such as \\ud800)';

/**
 * A password given to be checked (a login, the current password of a change): bounded, well-formed,
 * and no other rule, so it reveals nothing of the policy and an old password that predates it still works.
 */
export const givenPassword = z
  .string()
  .min(1)
  .max(MAX_PASSWORD_LENGTH)
  .refine((password) => !LONE_SURROGATE.test(password), WELL_FORMED_RULE);

/** A local part shorter than this (`al@…`) is too likely to appear in a good password by chance. */
const MIN_EMAIL_NAME_LENGTH = 3;

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * The most common passwords of leaked password lists, ranked, as zxcvbn-ts ships them (about 49,000,
 * lower case), kept in a Set. Only those long enough to pass the length rule could ever match: a few
 * hundred (`password1234`, `qwerty123456`, `1qaz2wsx3edc`...). Loaded on the first check, not at start:
 * commands and processes that never set a password never pay for it (about 25 ms, once).
 */
function commonPasswordSet(): ReadonlySet<string> {
  if (commonPasswords === undefined) {
    const load = createRequire(import.meta.url) as (id: string) => typeof import('@zxcvbn-ts/language-common');
    const ranked = load('@zxcvbn-ts/language-common').dictionary['passwords-common'];
    commonPasswords = new Set(ranked.filter((password) => password.length >= MIN_PASSWORD_LENGTH));
  }
  return commonPasswords;
}

/** On the list of the most common passwords, whatever its letters' case: the first ones attackers try. */
export function isCommonPassword(password: string): boolean {
  return commonPasswordSet().has(password.toLowerCase());
}

/** Holds the email's local part (`jane.doe` of jane.doe@example.com), whatever the case: a guess anyone makes. */
export function containsEmailName(password: string, email: string): boolean {
  const name = email.slice(0, email.lastIndexOf('@')).toLowerCase();
  return name.length >= MIN_EMAIL_NAME_LENGTH && password.toLowerCase().includes(name);
}

/**
 * A new password, wherever one is set (sign-up, change, reset): 12 to 128 characters, well-formed, not
 * blank, not one of the most common passwords. Messages name the rule, never the password. The rule
 * that needs the email is `refusePasswordContainingEmail`, on the body that has both.
 */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `The password must have at least ${String(MIN_PASSWORD_LENGTH)} characters`)
  .max(MAX_PASSWORD_LENGTH, `The password must have at most ${String(MAX_PASSWORD_LENGTH)} characters`)
  .refine((password) => !LONE_SURROGATE.test(password), WELL_FORMED_RULE)
  .refine((password) => password.trim() !== '', 'The password must not be only spaces')
  .refine((password) => !isCommonPassword(password), 'The password is one of the most common passwords: choose another');

/**
 * The rule that needs the email, for a body schema's `superRefine` when the body has both (sign-up): the
 * password in `field` must not contain the local part of the body's `email`.
 */
export function refusePasswordContainingEmail<Field extends string>(field: Field) {
  return (body: { readonly email: string } & Readonly<Record<Field, string>>, context: z.RefinementCtx): void => {
    if (containsEmailName(body[field], body.email)) context.addIssue({ code: 'custom', path: [field], message: EMAIL_NAME_RULE });
  };
}

/**
 * The same rule where the email is known only in the handler (a password change, a reset by token): a
 * 400 shaped like a validation error, on the field at `path` (such as `body.newPassword`).
 */
export function assertPasswordWithoutEmailName(password: string, email: string, path: string): void {
  if (containsEmailName(password, email)) {
    throw new HttpError(400, 'The request is not valid.', { errors: [{ path, message: EMAIL_NAME_RULE }] });
  }
}
