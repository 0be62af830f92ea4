import type { Transporter } from 'nodemailer';
import type { Mailer } from './mailer.ts';

/** How long one delivery may wait on the SMTP server, so a stuck relay cannot pile up connections. */
const TIMEOUT_MS = 10_000;

/**
 * Mail over SMTP with nodemailer, to the server SMTP_URL names (smtp:// upgrades with STARTTLS when
 * the server offers it; smtps:// is TLS from the first byte). Connections are pooled: a burst of mails
 * reuses a few instead of opening one each.
 *
 * nodemailer is loaded with the first mail, not at start: it is about a fifth of what the server
 * loads, and most starts (a deploy, a restart, every test process) send no mail before they are up.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const options = new URL(url);
  let transport: Promise<Transporter> | undefined;
  const opened = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport(
        {
          pool: true,
          maxConnections: 3,
          host: options.hostname,
          port: options.port === '' ? undefined : Number(options.port),
          secure: options.protocol === 'smtps:',
          ...(options.username === '' ? {} : { auth: { user: decodeURIComponent(options.username), pass: decodeURIComponent(options.password) } }),
          connectionTimeout: TIMEOUT_MS,
          greetingTimeout: TIMEOUT_MS,
          socketTimeout: TIMEOUT_MS,
        },
        { from },
      ),
    ));
  return {
    async send({ to, subject, text }) {
      await (await opened()).sendMail({ to, subject, text });
    },
    async close() {
      if (transport !== undefined) (await transport).close();
    },
  };
}
