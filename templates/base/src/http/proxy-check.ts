import type { RequestHandler } from 'express';
import type { Logger } from '../log.ts';
import { normalizeAddress } from './client-address.ts';

/** Called straight at the app by design: the image's HEALTHCHECK and an orchestrator's probes. */
const PROBES = new Set(['/healthz', '/readyz']);

/**
 * With TRUST_PROXY above 0 every request should come through the proxies, and each adds to
 * X-Forwarded-For. A request without it reached the app some other way (a published port, a second
 * route in), and whoever can do that can also write their own X-Forwarded-For and choose the address
 * their rate limits are counted under. The first such request is logged as a warning, once, so a
 * deployment that exposes the app directly is noticed; it is served as usual.
 */
export function warnOnceWithoutProxy(logger: Logger): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (!warned && req.headers['x-forwarded-for'] === undefined && !PROBES.has(req.path)) {
      warned = true;
      logger.warn(
        { event: 'request_without_proxy', address: req.socket.remoteAddress },
        'TRUST_PROXY is above 0 but a request arrived without X-Forwarded-For: the app is reachable without the proxy, and there clients can choose their own address; publish the port to the proxy alone, or set TRUST_PROXY=0',
      );
    }
    next();
  };
}

/**
 * X-Forwarded-For from an address outside TRUST_PROXY_FROM is ignored (`req.ip` is the socket address):
 * either a client reached the app directly and tried to choose its own address, or a real proxy
 * connects from an address nobody listed, and then every client behind it shares one rate limit. The
 * first one is logged as a warning, once, with the sender's address but never the header (the client
 * wrote it: any length, any text).
 */
export function warnOnceUntrustedForwarder(logger: Logger, isProxy: (address: string) => boolean): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    const sender = req.socket.remoteAddress;
    if (!warned && req.headers['x-forwarded-for'] !== undefined && sender !== undefined && !isProxy(sender)) {
      warned = true;
      const address = normalizeAddress(sender);
      logger.warn(
        { event: 'forwarded_for_from_untrusted', address },
        `X-Forwarded-For from ${address}, not a trusted proxy: ignored; if a proxy of yours connects from there, add it to TRUST_PROXY_FROM`,
      );
    }
    next();
  };
}
