import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createHttpServer } from './http/http-server.ts';
import { createLogger } from './log.ts';
import { Readiness } from './readiness.ts';
import { shutdownOnSignals } from './shutdown.ts';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line naming the variable and what it accepts: no stack trace to scroll through.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
const logger = createLogger(config);
const readiness = new Readiness();
const app = createApp(config, { logger, readiness });
const server = createHttpServer(app);

shutdownOnSignals({ server, readiness, logger, ...config.shutdown });

// Listening failed (the port is taken, say): one log line and exit 1, not an unhandled 'error' event.
server.once('error', (error) => {
  logger.fatal({ err: error }, 'server error');
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: config.host, env: config.env }, 'listening');
});
