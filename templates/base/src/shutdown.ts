import type { Server } from 'node:http';
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
 * Graceful shutdown on SIGTERM (orchestrators, `docker stop`) and SIGINT (Ctrl-C): readiness fails
 * first, so load balancers stop sending traffic; after the grace period the server stops accepting
 * connections and lets in-flight requests finish; then the process exits 0. Requests still running at
 * the deadline are cut and the exit code is 1. Without this, every deploy drops the requests in flight.
 */
export function shutdownOnSignals({ server, readiness, logger, graceMs, timeoutMs, close }: ShutdownOptions): void {
  const shutdown = (signal: NodeJS.Signals) => {
    if (readiness.shuttingDown) return;
    readiness.startShutdown();
    logger.info({ signal, graceMs, timeoutMs }, 'shutting down');

    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      server.closeAllConnections();
      process.exit(1);
    }, timeoutMs);
    deadline.unref();

    setTimeout(() => {
      server.close((error) => {
        if (error) logger.error({ err: error }, 'error while closing the server');
        void closeAll(close, logger).then(() => {
          logger.info('shut down');
          logger.flush();
          process.exit(error ? 1 : 0);
        });
      });
      // Keep-alive connections with no request in flight would otherwise hold close() open.
      server.closeIdleConnections();
    }, graceMs).unref();
  };

  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
