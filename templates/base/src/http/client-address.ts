import { isIPv4, isIPv6 } from 'node:net';
import type { RequestHandler } from 'express';

/**
 * A client address as proxies and sockets write it, reduced to the bare IP address: some proxies
 * append the client's port to X-Forwarded-For (`203.0.113.9:1111`, `[2001:db8::1]:1111`), and a
 * dual-stack socket reports IPv4 clients as `::ffff:203.0.113.9`. Left as is, one client would get a
 * fresh rate-limit bucket for every source port, and the log would show one client as many.
 * Anything that is not one of these forms is returned unchanged.
 */
export function normalizeAddress(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(address);
  if (bracketed?.[1] !== undefined && isIPv6(bracketed[1])) return bracketed[1];
  const withPort = /^([\d.]+):\d{1,5}$/.exec(address);
  if (withPort?.[1] !== undefined && isIPv4(withPort[1])) return withPort[1];
  const mapped = /^::ffff:([\d.]+)$/i.exec(address);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  return address;
}

/**
 * Pins `req.ip` to the normalized client address, once, for everything after it: the rate limits key
 * on it and the request log line shows it. (Express computes `req.ip` from `trust proxy` on each read.)
 */
export function clientAddress(): RequestHandler {
  return (req, _res, next) => {
    const { ip } = req;
    Object.defineProperty(req, 'ip', { value: ip === undefined ? ip : normalizeAddress(ip), enumerable: true, configurable: true });
    next();
  };
}
