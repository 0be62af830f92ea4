import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Config } from './config.ts';

export type { Logger } from 'pino';

/**
 * Paths removed from every log line. Logs are copied to many systems and read by many people, so a
 * credential that reaches them is a leaked credential. Passwords only appear if someone logs a request
 * body; the paths are here so that mistake stays harmless.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.*.password',
  'req.body.password',
  'err.body.password',
];

/** A JSON logger: one object per line, ready for any log collector. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * One log line per request, when its response finishes: request id, method, URL, headers (with the
 * credentials above redacted), status and time taken. 5xx lines carry the full error with its stack,
 * which the client never sees.
 */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // The response's headers are the same security headers on every line: keep the status only.
    serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
  });
}
