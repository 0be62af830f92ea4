import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { SMTPServer } from 'smtp-server';

/** A mail as the SMTP server received it: the envelope's recipient, the subject, the decoded text. */
export interface ReceivedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface MailServer {
  /** SMTP_URL, MAIL_FROM and APP_URL for an app (startApp's env) or a server process that mails here. */
  readonly env: Record<string, string>;
  /** Every mail received so far, in order. */
  readonly received: readonly ReceivedMail[];
  /** The next mail to `to` not taken yet; fails after `timeoutMs` without one. */
  next(to: string, timeoutMs?: number): Promise<ReceivedMail>;
}

export const APP_URL = 'https://app.example.com';

/** Quoted-printable (RFC 2045), which nodemailer uses for text with long lines: soft breaks and =XX bytes. */
const decodeQuotedPrintable = (text: string) =>
  Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');

function parse(to: string, raw: string): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const lines = head.split('\r\n');
  const header = (name: string) => lines.find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}: `))?.slice(name.length + 2) ?? '';
  const text = /quoted-printable/i.test(header('Content-Transfer-Encoding')) ? decodeQuotedPrintable(body) : body;
  return { to, subject: header('Subject'), text: text.replace(/\r\n/g, '\n') };
}

/**
 * A real SMTP server (smtp-server, by nodemailer's authors) on a free port of loopback, closed when
 * the test ends: the app sends to it with its production transport, and tests read what arrived.
 * No TLS (nothing to verify a certificate against on loopback) and no authentication.
 */
export async function startMailServer(t: TestContext): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // The app's pooled connections are still open when the test ends: cut them rather than wait.
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
      });
      stream.on('end', () => {
        for (const recipient of session.envelope.rcptTo) received.push(parse(recipient.address, Buffer.concat(chunks).toString('latin1')));
        for (const wake of waiting.splice(0)) wake();
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  );
  const { port } = server.server.address() as AddressInfo;

  return {
    env: { SMTP_URL: `smtp://127.0.0.1:${String(port)}`, MAIL_FROM: 'Test API <no-reply@example.com>', APP_URL },
    received,
    async next(to, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = received.find((candidate) => candidate.to === to && !taken.has(candidate));
        if (mail) {
          taken.add(mail);
          return mail;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${to} within ${String(timeoutMs)} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

/** The token of the link in a mail (`${APP_URL}/<page>?token=<token>`), checking the page it opens. */
export function tokenIn(mail: ReceivedMail, page: 'verify-email' | 'reset-password'): string {
  const prefix = `${APP_URL}/${page}?token=`;
  const start = mail.text.indexOf(prefix);
  const link = start < 0 ? null : /^[A-Za-z0-9_-]+/.exec(mail.text.slice(start + prefix.length));
  if (!link) throw new Error(`no ${page} link in the mail "${mail.subject}":\n${mail.text}`);
  return link[0];
}
