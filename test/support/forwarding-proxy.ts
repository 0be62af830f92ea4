import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
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

export async function startForwardingProxy(upstreamPort: number): Promise<ForwardingProxy> {
  // Cut off slow header blocks itself, as nginx does (client_header_timeout): the app behind it never sees them.
  const server: Server = createServer({ headersTimeout: 2_000, requestTimeout: 5_000, connectionsCheckingInterval: 250 }, (req, res) => {
    const seen = req.socket.remoteAddress ?? '';
    const forwardedFor = req.headers['x-forwarded-for'];
    const headers = { ...req.headers, 'x-forwarded-for': forwardedFor ? `${forwardedFor}, ${seen}` : seen };
    const upstream = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
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
