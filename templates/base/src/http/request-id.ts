import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

/** What an incoming id may look like: short, and nothing that could forge a log line or a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export interface RequestIdOptions {
  /**
   * Whether an incoming `X-Request-Id` was set by a proxy we trust (TRUST_REQUEST_ID): only when the
   * proxy in front sets the header on every request, replacing the client's. Otherwise it is whatever
   * the client chose to write, and taking it would let anyone pass their requests off as someone
   * else's in the log. Trusting the proxy's X-Forwarded-For (TRUST_PROXY) says nothing about this
   * header: many proxies pass a client's X-Request-Id on untouched.
   */
  readonly trustIncoming: boolean;
  /**
   * Whether a connection comes from one of the proxies (TRUST_PROXY_FROM, http/trusted-proxies.ts): a
   * client that reaches the port directly writes its own header, however much the proxy is trusted.
   */
  readonly isProxy: (address: string) => boolean;
}

/**
 * Gives every request an id, echoed in `X-Request-Id` and in every problem and log line, so a user's
 * report can be matched to the server's log. A proxy's id is kept, so its log and ours line up, but
 * only when told to (TRUST_REQUEST_ID) and only if it is harmless; anything else is replaced, never echoed.
 */
export function requestId({ trustIncoming, isProxy }: RequestIdOptions): RequestHandler {
  return (req, res, next) => {
    const incoming = trustIncoming && isProxy(req.socket.remoteAddress ?? '') ? req.get('x-request-id') : undefined;
    const id = incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

export function requestIdOf(req: IncomingMessage): string {
  return typeof req.id === 'string' ? req.id : '';
}
