import type { MailTokenKind, MailTokenStore } from '../auth/mail-tokens.ts';
import type { ComposeMail, MessageName } from './messages.ts';
import type { Outgoing } from './outbox.ts';

/** Which token each message carries, and the front end's page its link opens (it POSTs the token back). */
const TOKEN_OF: Readonly<Record<MessageName, MailTokenKind>> = {
  'verify-email': 'verify-email',
  'reset-password': 'reset-password',
  // To the owner of a taken address: a reset link, never a verification one (someone else chose
  // the password of an account a verification would open).
  'sign-up-attempt': 'reset-password',
};

/** The mail `message` to `user`, with a new token in its link (`${APP_URL}/<kind>?token=...`). */
export type AccountMail = (user: { readonly id: string; readonly email: string }, message: MessageName) => Promise<Outgoing>;

export function accountMail(appUrl: string, tokens: MailTokenStore, compose: ComposeMail): AccountMail {
  return async (user, message) => {
    const kind = TOKEN_OF[message];
    const link = `${appUrl}/${kind}?token=${await tokens.issue(user.id, kind)}`;
    return { kind: message, mail: compose(message, user.email, { link }) };
  };
}
