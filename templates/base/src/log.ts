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
  'req.headers.password',
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
 * The request line holds request and response headers, never a body, so exact paths cover it. Wildcard
 * paths make pino copy every request's data to search it, which costs more than the rest of the line.
 */
const REQUEST_LINE_REDACTED_PATHS = REDACTED_PATHS.filter((path) => path.startsWith('req.headers') || path.startsWith('res.headers'));

/**
 * One log line per request, when its response finishes: request id, method, URL, headers (with the
 * credentials above redacted), status and time taken. 5xx lines carry the full error with its stack,
 * which the client never sees.
 */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger: logger.child({}, { redact: { paths: REQUEST_LINE_REDACTED_PATHS, censor: '[redacted]' } }),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // The response's headers are the same security headers on every line: keep the status only.
    serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
  });
}
