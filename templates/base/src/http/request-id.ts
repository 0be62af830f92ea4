import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

/** What an incoming id may look like: short, and nothing that could forge a log line or a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export interface RequestIdOptions {
  /**
   * Whether an incoming `X-Request-Id` was set by a proxy we trust: true when requests arrive through
   * the proxies counted in TRUST_PROXY. Directly from clients, it is whatever they chose to write, and
   * taking it would let anyone pass their requests off as someone else's in the log.
   */
  readonly trustIncoming: boolean;
}

/**
 * Gives every request an id, echoed in `X-Request-Id` and in every problem and log line, so a user's
 * report can be matched to the server's log. A proxy's id is kept, so its log and ours line up, but
 * only from a trusted proxy and only if it is harmless; anything else is replaced, never echoed.
 */
export function requestId({ trustIncoming }: RequestIdOptions): RequestHandler {
  return (req, res, next) => {
    const incoming = trustIncoming ? req.get('x-request-id') : undefined;
    const id = incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

export function requestIdOf(req: IncomingMessage): string {
  return typeof req.id === 'string' ? req.id : '';
}
