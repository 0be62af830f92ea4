import { fail, pass, skipped, type Check } from '../model.ts';
import { proxyIn } from '../proxy.ts';

/** How long the server may take to give up on a header block that never ends. */
const DEADLINE_MS = 20_000;
const LINE_EVERY_MS = 1_000;

/**
 * Slowloris: a client that sends its headers a line at a time, never finishing, holds a connection
 * for as long as the server lets it, and a few hundred such clients hold every socket it has. The
 * server must cut the header block off after a deadline of its own (Node's default is 60 s).
 */
export const SLOW_HEADERS_CHECK: Check = {
  id: 'slow-headers',
  group: 'Other',
  title: 'slow headers are cut off',
  description: `A request whose headers arrive one line a second, never ending, is cut off within ${DEADLINE_MS / 1000} s.`,
  severity: 'medium',
  fix: { text: 'Give the HTTP server a headersTimeout (10 s) and a requestTimeout, checked every second', file: 'src/http/http-server.ts' },
  async run(context) {
    if (!context.options.slow) return skipped(`opt-in: --slow holds a connection for up to ${DEADLINE_MS / 1000} s`);
    const { plan } = context;
    const socket = await context.openSocket();
    const started = Date.now();
    let firstLine = '';
    socket.on('data', (chunk: Buffer) => {
      if (!firstLine) firstLine = chunk.toString('latin1').split('\r\n', 1)[0] ?? '';
    });
    // A write after the server has closed fails: that is the cut-off this probe waits for.
    socket.on('error', () => socket.destroy());
    socket.write(`GET ${plan.successPaths[0] ?? '/'} HTTP/1.1\r\nHost: ${plan.url.host}\r\nUser-Agent: create-secure-express check\r\n`);
    let line = 0;
    const trickle = setInterval(() => {
      line += 1;
      if (!socket.destroyed) socket.write(`X-Check-Slow-${line}: ${line}\r\n`);
    }, LINE_EVERY_MS);
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, DEADLINE_MS);
    try {
      await new Promise((resolve) => {
        socket.once('end', resolve);
        socket.once('close', resolve);
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const answer = firstLine ? ` (${firstLine.replace(/^HTTP\/1\.[01] /, '')})` : '';
      if (!timedOut) return pass(`the header block was cut off after ${seconds} s${answer}`);
      const held = `still reading headers after ${DEADLINE_MS / 1000} s (${line} lines): a few hundred such connections would hold every socket`;
      // Behind a proxy the app never sees a request whose headers have not ended: the proxy holds it.
      const proxy = proxyIn(context.exchanges());
      if (proxy) {
        return fail(`${held} of ${proxy}, which reads the headers before the app sees anything`, {
          fix: 'Give the proxy in front a deadline for the header block (nginx: client_header_timeout 10s; its default is 60 s)',
          fixInProxy: true,
        });
      }
      return fail(held);
    } finally {
      clearInterval(trickle);
      clearTimeout(deadline);
      socket.destroy();
    }
  },
};
