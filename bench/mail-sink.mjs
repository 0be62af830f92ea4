// A mail server for the benches' production servers (which refuse to start without SMTP_URL, MAIL_FROM
// and APP_URL): plain SMTP on a free port of 127.0.0.1, no TLS, no authentication, that accepts every
// mail and keeps only the token of each verification link, so a bench can verify its accounts the way
// a user does. Nothing is delivered anywhere; no dependency (node:net).
import { once } from 'node:events';
import { createServer } from 'node:net';

const APP_URL = 'https://app.example.com';
const VERIFY_LINK = `${APP_URL}/verify-email?token=`;

/** Quoted-printable (RFC 2045), which nodemailer uses for text with long lines: soft breaks and =XX bytes. */
const decodeQuotedPrintable = (text) =>
  Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');

/** The token of the verification link in a raw message (headers, blank line, body), if it has one. */
function verificationToken(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const text = /^content-transfer-encoding:\s*quoted-printable/im.test(head) ? decodeQuotedPrintable(body) : body;
  const start = text.indexOf(VERIFY_LINK);
  return start < 0 ? undefined : /^[A-Za-z0-9_-]+/.exec(text.slice(start + VERIFY_LINK.length))?.[0];
}

/**
 * One SMTP session: greeting, then commands answered line by line; after DATA, the message up to the
 * line "." (dot-stuffing undone), handed to `received(recipients, raw)`.
 */
function session(socket, received) {
  let buffer = '';
  let recipients = [];
  let message; // the lines of DATA, while it is being read
  const reply = (text) => socket.write(`${text}\r\n`);
  const command = (line) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO' || verb === 'HELO') return reply('250 bench-mail-sink');
    if (verb === 'MAIL') {
      recipients = [];
      return reply('250 OK');
    }
    if (verb === 'RCPT') {
      recipients.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
      return reply('250 OK');
    }
    if (verb === 'DATA') {
      message = [];
      return reply('354 End data with <CR><LF>.<CR><LF>');
    }
    if (verb === 'RSET') {
      recipients = [];
      return reply('250 OK');
    }
    if (verb === 'NOOP') return reply('250 OK');
    if (verb === 'QUIT') {
      reply('221 Bye');
      return socket.end();
    }
    return reply('502 Command not implemented');
  };
  socket.setEncoding('latin1');
  socket.on('error', () => {}); // a client that goes away mid-session (its server stopped) is no news
  socket.on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (message === undefined) command(line);
      else if (line === '.') {
        received(recipients, message.join('\r\n'));
        message = undefined;
        reply('250 OK: discarded');
      } else message.push(line.startsWith('.') ? line.slice(1) : line);
    }
  });
}

/**
 * Starts the sink. `env` is what a production server needs to mail it; `verificationToken(to)` resolves
 * with the token of the next verification mail to `to` not taken yet (waiting up to `timeoutMs` for it);
 * `mails()` counts every mail accepted; `stop()` closes it, cutting connections still open.
 */
export async function startMailSink() {
  const tokens = new Map(); // recipient -> tokens not taken yet, oldest first
  const waiting = new Set();
  let count = 0;
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.write('220 bench-mail-sink ESMTP\r\n');
    session(socket, (recipients, raw) => {
      count += 1;
      const token = verificationToken(raw);
      if (token === undefined) return;
      for (const to of recipients) tokens.set(to, [...(tokens.get(to) ?? []), token]);
      for (const wake of waiting) wake();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();

  return {
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Bench <no-reply@example.com>', APP_URL },
    mails: () => count,
    async verificationToken(to, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const token = tokens.get(to)?.shift();
        if (token !== undefined) return token;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no verification mail to ${to} within ${timeoutMs / 1000} s`);
        await new Promise((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiting.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiting.add(wake);
        });
      }
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
