import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { RequestHandler } from 'express';

const PORT = /^:\d{1,5}$/;
const IPV4_MAPPED = '::ffff:';

/**
 * A client address as proxies and sockets write it, reduced to the bare IP address: some proxies
 * append the client's port to X-Forwarded-For (`203.0.113.9:1111`, `[2001:db8::1]:1111`), and a
 * dual-stack socket reports IPv4 clients as `::ffff:203.0.113.9`. Left as is, one client would get a
 * fresh rate-limit bucket for every source port, and the log would show one client as many.
 * Anything that is not one of these forms is returned unchanged.
 */
export function normalizeAddress(address: string): string {
  // [2001:db8::1] or [2001:db8::1]:1111
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    const host = address.slice(1, close);
    const port = address.slice(close + 1);
    return close > 0 && isIPv6(host) && (port === '' || PORT.test(port)) ? host : address;
  }
  // 203.0.113.9:1111: a single colon, so not an IPv6 address
  const colon = address.indexOf(':');
  if (colon > 0 && colon === address.lastIndexOf(':')) {
    const host = address.slice(0, colon);
    return isIPv4(host) && PORT.test(address.slice(colon)) ? host : address;
  }
  // ::ffff:203.0.113.9
  if (address.toLowerCase().startsWith(IPV4_MAPPED) && isIPv4(address.slice(IPV4_MAPPED.length))) {
    return address.slice(IPV4_MAPPED.length);
  }
  return address;
}

/**
 * The normalized client address if it is an IP address; otherwise the socket's. A trusted proxy may
 * still pass on whatever a client wrote in X-Forwarded-For (`unknown`, 12 KB of text): that must never
 * become a rate-limit key or a logged address.
 */
function addressOf(ip: string | undefined, socketAddress: string | undefined): string | undefined {
  const address = ip === undefined ? undefined : normalizeAddress(ip);
  if (address !== undefined && isIP(address) !== 0) return address;
  return socketAddress === undefined ? undefined : normalizeAddress(socketAddress);
}

/**
 * Pins `req.ip` to the normalized client address, once, for everything after it: the rate limits key
 * on it and the request log line shows it. (Express computes `req.ip` from `trust proxy` on each read.)
 */
export function clientAddress(): RequestHandler {
  return (req, _res, next) => {
    Object.defineProperty(req, 'ip', { value: addressOf(req.ip, req.socket.remoteAddress), enumerable: true, configurable: true });
    next();
  };
}
