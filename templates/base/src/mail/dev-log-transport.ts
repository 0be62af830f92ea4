import type { Logger } from '../log.ts';
import type { Mailer } from './mailer.ts';

/**
 * Development only (src/mail/mailer.ts never picks it in production): each mail is printed to the
 * log, whole, so the link in it can be copied from the terminal that runs `npm run dev`. In
 * production the log must never hold a token or an address; here, with no mail server, that is the
 * point.
 */
export function devLogMailer(logger: Logger): Mailer {
  return {
    send({ to, subject, text }) {
      logger.info(`mail to ${to} (development: printed, not sent)\nSubject: ${subject}\n\n${text}`);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
