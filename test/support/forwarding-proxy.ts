import { once } from 'node:events';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy on 127.0.0.1 in front of one upstream, forwarding the way nginx does with
 * `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`: the client's X-Forwarded-For, if
 * any, with the address the proxy saw appended. An app that trusts one hop (`trust proxy` 1) reads
 * the client's real address from the last entry, whatever the client wrote before it.
 */
export interface ForwardingProxy {
  readonly base: string;
  close(): Promise<void>;
}

/** Headers about one connection, which a proxy answers for itself rather than passing on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** A body this large goes upstream only if the upstream has not answered on its headers alone (a 413 for its length). */
const LARGE_BODY = 64 * 1024;
const EARLY_ANSWER_MS = 200;

const endToEnd = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

export async function startForwardingProxy(upstreamPort: number): Promise<ForwardingProxy> {
  // Cuts off slow header blocks itself, as nginx does (client_header_timeout): the app behind it never sees them.
  const server: Server = createServer({ headersTimeout: 2_000, requestTimeout: 10_000, connectionsCheckingInterval: 250 }, (req, res) => {
    const seen = req.socket.remoteAddress ?? '';
    const forwardedFor = req.headers['x-forwarded-for'];
    const headers = { ...endToEnd(req.headers), 'x-forwarded-for': forwardedFor ? `${forwardedFor}, ${seen}` : seen };
    let answered = false;
    let bodyHeld = false;
    const upstream = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers }, (answer) => {
      answered = true;
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
      // The body was never sent: this request cannot be finished, only closed once answered.
      answer.on('end', () => bodyHeld && upstream.destroy());
    });
    upstream.on('error', () => {
      if (answered) return;
      res.writeHead(502).end();
    });
    if (Number(req.headers['content-length'] ?? 0) > LARGE_BODY) {
      // An app that refuses a body for its declared length answers at once and closes: sending the
      // body then would only reset the connection under its answer.
      upstream.flushHeaders();
      setTimeout(() => {
        if (!answered) return void req.pipe(upstream);
        bodyHeld = true;
        req.resume();
      }, EARLY_ANSWER_MS);
    } else {
      req.pipe(upstream);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
