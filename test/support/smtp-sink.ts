import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';

/** A mail as the sink received it: the envelope's recipient and the text, quoted-printable decoded. */
export interface SunkMail {
  readonly to: string;
  readonly text: string;
}

export interface SmtpSink {
  /** SMTP_URL, MAIL_FROM and APP_URL for a generated project's server in production. */
  readonly env: Record<string, string>;
  /** The token of the next link to `page` in a mail to `to`, waiting up to `timeoutMs` for it. */
  token(to: string, page: 'verify-email' | 'reset-password', timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const decode = (data: string) =>
  Buffer.from(data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');

/**
 * Just enough SMTP (RFC 5321) on loopback to receive what a generated project sends, with no
 * dependency for the generator's tests: the greeting, EHLO, MAIL, RCPT, DATA up to its lone dot, QUIT,
 * and 250 to anything else (RSET, NOOP). No STARTTLS is offered, so none is attempted.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let buffer = '';
    let recipients: string[] = [];
    let inData = false;
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          const text = decode(buffer.slice(buffer.indexOf('\r\n\r\n') + 4, end));
          for (const to of recipients) mails.push({ to, text });
          buffer = buffer.slice(end + 5);
          inData = false;
          recipients = [];
          socket.write('250 queued\r\n');
          continue;
        }
        const lineEnd = buffer.indexOf('\r\n');
        if (lineEnd === -1) return;
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + 2);
        const command = line.slice(0, 4).toUpperCase();
        if (command === 'RCPT') recipients.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        if (command === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (command === 'QUIT') {
          socket.end('221 bye\r\n');
        } else {
          socket.write(command === 'EHLO' ? '250 sink\r\n' : '250 ok\r\n');
        }
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const appUrl = 'https://app.example.com';

  return {
    env: { SMTP_URL: `smtp://127.0.0.1:${String(port)}`, MAIL_FROM: 'no-reply@example.com', APP_URL: appUrl },
    async token(to, page, timeoutMs = 10_000) {
      const prefix = `${appUrl}/${page}?token=`;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = mails.findIndex((mail) => mail.to === to && mail.text.includes(prefix));
        if (index !== -1) {
          const [mail] = mails.splice(index, 1);
          const text = mail?.text ?? '';
          return /^[A-Za-z0-9_-]+/.exec(text.slice(text.indexOf(prefix) + prefix.length))?.[0] ?? '';
        }
        if (Date.now() > deadline) throw new Error(`no ${page} mail to ${to} within ${String(timeoutMs)} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
