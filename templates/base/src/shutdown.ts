import type { Server, ServerResponse } from 'node:http';
import type { Logger } from './log.ts';
import type { Readiness } from './readiness.ts';

export interface ShutdownOptions {
  readonly server: Server;
  readonly readiness: Readiness;
  readonly logger: Logger;
  /** How long /readyz fails before the server stops accepting connections. */
  readonly graceMs: number;
  /** The deadline, counted from the signal, after which remaining connections are cut. */
  readonly timeoutMs: number;
  /** Closed last, in order, once no request can still use them: the database, Redis. */
  readonly close: readonly (() => Promise<void>)[];
}

/** Closes each in turn; one that fails is logged and does not keep the others open. */
async function closeAll(close: readonly (() => Promise<void>)[], logger: Logger): Promise<void> {
  for (const closeOne of close) {
    await closeOne().catch((error: unknown) => {
      logger.error({ err: error }, 'error while closing a connection');
    });
  }
}

/**
 * Keep-alive connections must not outlive the shutdown. Left alone, a connection kept alive after its
 * last response lingers until the keep-alive timeout (5 s), races the deadline, and may carry one more
 * request from a load balancer just as it is cut. Once `drain()` is called:
 * - connections idle at that moment are closed;
 * - every response not yet started, in flight or still to come, says `Connection: close`, so the
 *   client opens no further request on it and Node closes the connection once the response is sent;
 * - a response already under way (its headers sent with keep-alive) closes its connection when done.
 *
 * Returns `drain`. Costs one set entry per request until then.
 */
function connectionDrainer(server: Server): () => void {
  const inFlight = new Set<ServerResponse>();
  let draining = false;

  function forget(this: ServerResponse) {
    inFlight.delete(this);
  }
  const closeAfterResponse = (res: ServerResponse) => {
    if (!res.headersSent) {
      res.setHeader('Connection', 'close');
      return;
    }
    res.once('close', () => {
      server.closeIdleConnections();
    });
  };

  // Before the app's own listener, so the header is set before anything can answer.
  server.prependListener('request', (_req, res) => {
    if (draining) {
      closeAfterResponse(res);
      return;
    }
    inFlight.add(res);
    res.on('close', forget);
  });

  return () => {
    draining = true;
    for (const res of inFlight) closeAfterResponse(res);
    inFlight.clear();
    server.closeIdleConnections();
  };
}

/**
 * Graceful shutdown on SIGTERM (orchestrators, `docker stop`) and SIGINT (Ctrl-C): readiness fails
 * first, so load balancers stop sending traffic, and connections are drained (see above); after the
 * grace period the server stops accepting connections and lets in-flight requests finish; then the
 * process exits 0. Requests still running at the deadline are cut and the exit code is 1. Without
 * this, every deploy drops the requests in flight. A repeated signal (a terminal delivers Ctrl-C to
 * every process of the group, and parents pass it on) changes nothing: the deadline still applies.
 */
export function shutdownOnSignals({ server, readiness, logger, graceMs, timeoutMs, close }: ShutdownOptions): void {
  const drain = connectionDrainer(server);

  const shutdown = (signal: NodeJS.Signals) => {
    if (readiness.shuttingDown) return;
    readiness.startShutdown();
    drain();
    logger.info({ signal, graceMs, timeoutMs }, 'shutting down');
    logger.flush();

    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      server.closeAllConnections();
      process.exit(1);
    }, timeoutMs);
    deadline.unref();

    // close() also closes the connections idle by then (Node >= 19); the others close with their response.
    setTimeout(() => {
      server.close((error) => {
        if (error) logger.error({ err: error }, 'error while closing the server');
        void closeAll(close, logger).then(() => {
          logger.info('shut down');
          logger.flush();
          process.exit(error ? 1 : 0);
        });
      });
    }, graceMs).unref();
  };

  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
