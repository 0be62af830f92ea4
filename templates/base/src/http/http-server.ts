import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * Timeouts for the HTTP server itself, below Express. Without them a client can hold a connection
 * open forever by sending its headers or body a byte at a time (Slowloris), and a few hundred such
 * clients exhaust the server's sockets.
 */
export const SERVER_TIMEOUTS = {
  /** The whole header block must arrive within 10 s. */
  headersTimeout: 10_000,
  /** The whole request, body included, must arrive within 30 s. */
  requestTimeout: 30_000,
  /** Idle keep-alive connections close after 5 s; must stay below headersTimeout. */
  keepAliveTimeout: 5_000,
  /** How often Node checks the two timeouts above; the default (30 s) would let them overrun. */
  connectionsCheckingInterval: 1_000,
} as const;

export function createHttpServer(app: RequestListener, timeouts: Partial<Record<keyof typeof SERVER_TIMEOUTS, number>> = {}): Server {
  return createServer({ ...SERVER_TIMEOUTS, ...timeouts }, app);
}
