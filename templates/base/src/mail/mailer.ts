import type { MailConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { devLogMailer } from './dev-log-transport.ts';
import { smtpMailer } from './smtp-transport.ts';

/** One plain-text mail to one address. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Where mail goes: an SMTP server in production, the development log otherwise (never both). */
export interface Mailer {
  /** Resolves once the transport accepted the mail; rejects when it could not. */
  send(mail: Mail): Promise<void>;
  /** Closes its connections (at shutdown). */
  close(): Promise<void>;
}

/**
 * The transport the configuration names: SMTP whenever SMTP_URL is set (production cannot start
 * without it, src/config.ts), otherwise the development log, which prints each mail, link included.
 */
export function createMailer(config: MailConfig, logger: Logger): Mailer {
  if (config.smtpUrl !== undefined) return smtpMailer(config.smtpUrl, config.from);
  return devLogMailer(logger);
}
