// Accounts made through the API the way a user makes one: sign up, then, when the project verifies
// addresses (sign-up answers 202 since issue 20), open the link of the verification mail (the token the
// mail sink caught) with POST /api/v1/auth/verify-email. A project from before issue 20 answers 201 and
// signs in at once: nothing to verify.
import { send, sendExpecting } from './servers.mjs';

/** Signs `body.email` up from `from` and verifies it if asked to; resolves with the sign-up's answer. */
export async function verifiedAccount(base, mailSink, body, from = '127.0.0.1') {
  const made = await send(base, 'POST', '/api/v1/users', { body, from });
  if (made.status === 201) return made;
  if (made.status !== 202) throw new Error(`sign-up of ${body.email}: expected 201 or 202, got ${made.status} ${made.text}`);
  const token = await mailSink.verificationToken(body.email);
  await sendExpecting(204, base, 'POST', '/api/v1/auth/verify-email', { body: { token }, from });
  return made;
}
