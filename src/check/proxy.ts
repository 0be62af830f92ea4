import type { ReceivedResponse } from './client.ts';
import type { Exchange } from './context.ts';

/**
 * What the answers show of a reverse proxy in front of the app. Node and Express send no Server
 * header, so one that names a web server, or a Via header, is a proxy the request went through. A
 * proxy also answers some requests itself, before the app sees them (a body over its limit, TRACE,
 * a 502 when the app is down), with an error page of its own: fixed text, nothing of the app's.
 */

/** Web servers and load balancers that stand in front of Node apps, as their Server header names them. */
const PROXY_SERVERS = /^(?:nginx|openresty|tengine|apache|caddy|envoy|cloudflare|awselb|litespeed|microsoft-iis|varnish|h2o|lighttpd|traefik)\b/i;

/**
 * Their own error pages: nginx's template (its footer names it; openresty, Tengine and AWS load
 * balancers use the same page, some without the footer), Apache's, Envoy's.
 */
const PROXY_PAGES: readonly RegExp[] = [
  /<hr><center>([\w./ -]+)<\/center>\s*<\/body>/i,
  /<center><h1>\d{3} [^<]*<\/h1><\/center>/,
  /<address>(Apache[^<]*?) Server at /i,
  /^(?:upstream connect error or disconnect\/reset before headers|no healthy upstream)/,
];

/** The proxy a response came through, as it names itself (`nginx/1.22.1`), or undefined. */
export function proxyOf(response: ReceivedResponse): string | undefined {
  const server = response.headers.server?.trim();
  if (server && PROXY_SERVERS.test(server)) return server;
  return response.headers.via?.trim() || undefined;
}

/** The first proxy any answer of the run came through. */
export function proxyIn(exchanges: readonly Exchange[]): string | undefined {
  for (const { response } of exchanges) {
    const proxy = proxyOf(response);
    if (proxy) return proxy;
  }
  return undefined;
}

/** The name on a proxy's own error page (the app never saw that request), or undefined. */
export function answeredByProxy(response: ReceivedResponse): string | undefined {
  if (response.status < 400) return undefined;
  for (const page of PROXY_PAGES) {
    const match = page.exec(response.body);
    if (match) return match[1] ?? proxyOf(response) ?? 'the proxy';
  }
  return undefined;
}

/**
 * Whether an answer says the limit is used up: a 429, or the 503 page of the proxy in front, which
 * is what nginx's limit_req answers unless told `limit_req_status 429`.
 */
export const isLimited = ({ response }: Exchange): boolean => response.status === 429 || (response.status === 503 && answeredByProxy(response) !== undefined);
