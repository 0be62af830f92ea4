import type { Logger } from '../log.ts';
import type { MailBudget } from '../security/mail-limits.ts';
import type { Mail, Mailer } from './mailer.ts';

/** A mail ready to go, and what the log calls it. */
export interface Outgoing {
  readonly kind: string;
  readonly mail: Mail;
}

export interface Outbox {
  /**
   * Runs `write` once the response is on its way, then sends the mail it returns (nothing when it
   * returns undefined), unless the account's mail budget is spent: then `write` does not run, so no
   * new token replaces the one in the last mail sent. Looking the account up, making its token and talking to the SMTP server all
   * happen off the request path, so how long a request takes says nothing about whether the address
   * has an account or a mail went out. `account` (the keyed hash) is what the log says about it.
   * `first`, when given, runs before all that, whatever the budget: work that must be done before
   * any mail goes out, even when none will.
   */
  send(account: string, write: () => Promise<Outgoing | undefined>, first?: () => Promise<void>): void;
}

/**
 * The deliveries an outbox was handed and has not finished (sent, skipped, refused by the budget or
 * failed). Nothing about a request's answer says when its mail is done, so this is what a test waits
 * for before it says no other mail is coming.
 */
export class PendingDeliveries {
  #count = 0;
  #waiting: (() => void)[] = [];

  /** Counts `delivery` until it settles; it must never reject. */
  track(delivery: Promise<void>): void {
    this.#count += 1;
    void delivery.finally(() => {
      this.#count -= 1;
      if (this.#count === 0) for (const wake of this.#waiting.splice(0)) wake();
    });
  }

  /** Resolves once no delivery is pending: at once when none is. */
  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** What an SMTP failure may say without the address it was for (its message may quote it). */
const failureOf = (error: unknown) => {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return { code: typeof code === 'string' ? code : 'unknown', ...(typeof responseCode === 'number' ? { responseCode } : {}) };
};

/**
 * Mail sent off the request path, within each account's mail budget. Each delivery is logged by the account's keyed hash
 * (src/auth/account-hash.ts), never by its address, and never with the mail's text, which holds a token.
 */
export function createOutbox(mailer: Mailer, logger: Logger, budget: MailBudget, pending = new PendingDeliveries()): Outbox {
  const deliver = async (account: string, write: () => Promise<Outgoing | undefined>, first?: () => Promise<void>) => {
    await first?.();
    if (!(await budget(account))) {
      logger.warn({ event: 'mail_budget_spent', account }, 'no mail: the account was sent its budget of mails for now');
      return;
    }
    const outgoing = await write();
    if (outgoing === undefined) return;
    try {
      await mailer.send(outgoing.mail);
      logger.info({ event: 'mail_sent', mail: outgoing.kind, account }, 'mail sent');
    } catch (error) {
      logger.error({ event: 'mail_failed', mail: outgoing.kind, account, failure: failureOf(error) }, 'mail could not be sent');
    }
  };
  return {
    send(account, write, first) {
      pending.track(
        new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => deliver(account, write, first))
          .catch((error: unknown) => {
            logger.error({ event: 'mail_failed', account, err: error }, 'mail could not be written');
          }),
      );
    },
  };
}
