import type { RequestHandler } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config, Environment } from './config.ts';
import { prettyDestination } from './log-pretty.ts';

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

/**
 * Log lines are buffered and written in chunks of at least 4 KiB, off the request path, instead of one
 * blocking write per line: pino's asynchronous mode, which its authors recommend when logging a line
 * per request. Whatever is buffered is written within FLUSH_INTERVAL_MS, on `logger.flush()`, and
 * synchronously when the process exits, crashes included (pino flushes on exit by itself): only a hard
 * kill (SIGKILL, a power cut) loses the lines of the last second.
 */
const FLUSH_INTERVAL_MS = 1_000;

/** One buffer for standard output per process, however many loggers write to it. */
let stdout: DestinationStream | undefined;

function bufferedStdout(): DestinationStream {
  if (stdout === undefined) {
    const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    setInterval(() => {
      stream.flush();
    }, FLUSH_INTERVAL_MS).unref();
    stdout = stream;
  }
  return stdout;
}

/**
 * Lines for a person (log-pretty.ts) only in development with a terminal to read them; JSON lines
 * everywhere else: in production, and whenever the output goes to a file, a pipe or a collector.
 */
export function wantsPrettyLogs(env: Environment | undefined, out: { readonly isTTY?: boolean }): boolean {
  return env === 'development' && out.isTTY === true;
}

/**
 * A JSON logger: one object per line, ready for any log collector. Standard output unless told
 * otherwise, shown as readable lines in development on a terminal.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & { readonly env?: Environment },
  destination: DestinationStream = wantsPrettyLogs(config.env, process.stdout) ? prettyDestination(process.stdout) : bufferedStdout(),
): Logger {
  return pino({ level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

/**
 * How much of a URL a log line keeps: a request of a few KiB must not become a log line of many more
 * (a flood of `?a&a&a…` to an unlimited route such as /healthz would otherwise fill the disk).
 */
const MAX_LOGGED_PATH = 200;
const MAX_LOGGED_PARAMETERS = 10;

/** A parameter name as people write them; anything else may be a credential in the name's place. */
const LOGGABLE_NAME = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * One query parameter as logged: `name=[redacted]` when it is `name=value` with a name that looks like
 * one, else `[redacted]` alone. A bare parameter is a value, not a name: clients put tokens there
 * (`?<token>`), or encode the `=` away (`?code%3Dsecret`), and a base64 token may end in `=` or `==`.
 */
function loggedParameter(pair: string): string {
  const equals = pair.indexOf('=');
  const name = pair.slice(0, equals);
  const hasValue = equals > 0 && /[^=]/.test(pair.slice(equals + 1));
  return hasValue && LOGGABLE_NAME.test(name) ? `${name}=[redacted]` : '[redacted]';
}

/**
 * The URL as logged: the path, and each query parameter's name with its value redacted. Query values
 * are often credentials (`?access_token=`, `?code=`, a reset token) and logs are read by many; which
 * parameters a request had is what a reader needs. Problem responses carry the path alone.
 */
export function loggedUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const shownPath = path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
  if (queryStart === -1) return shownPath;
  const pairs = url
    .slice(queryStart + 1)
    .split('&')
    .filter((pair) => pair !== '');
  const shown = pairs.slice(0, MAX_LOGGED_PARAMETERS).map(loggedParameter);
  if (pairs.length > MAX_LOGGED_PARAMETERS) shown.push(`…${String(pairs.length - MAX_LOGGED_PARAMETERS)} more`);
  return `${shownPath}?${shown.join('&')}`;
}

/**
 * The request line holds no user data except an error's. The wildcard paths above would make pino copy
 * every line to search it, which costs more than the rest of the line, so only the error's paths apply.
 */
const REQUEST_LINE_REDACTED_PATHS = REDACTED_PATHS.filter((path) => path.startsWith('err.'));

/**
 * One log line per request, when its response is done: request id, method, URL (query values
 * redacted), client address, status and time taken in milliseconds. Headers and bodies are never on
 * it, so no credential can be. An unexpected error is logged at error level with its stack (which the
 * client never sees); a 503 the server chose (busy, a service down) and a client that hung up before
 * the response was sent are warnings.
 *
 * Written by hand on plain pino rather than with pino-http: its line copies and redacts every header of
 * both the request and the response, which made it the most expensive layer of the stack.
 */
export function requestLogger(logger: Logger): RequestHandler {
  const lines = logger.child({}, { redact: { paths: REQUEST_LINE_REDACTED_PATHS, censor: '[redacted]' } });
  return (req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      const line = {
        req: { id: req.id, method: req.method, url: loggedUrl(req.originalUrl), remoteAddress: req.ip },
        res: { statusCode: res.statusCode },
        responseTime: Math.round((performance.now() - started) * 1000) / 1000,
        err: res.err,
      };
      const finished = res.writableFinished;
      if (res.err !== undefined) lines.error(line, finished ? 'request failed' : 'request aborted');
      // A 5xx without an error is one the server chose (hashing busy, a shared service down, not ready):
      // expected under load or an outage, which is logged once on its own; nothing here is a bug.
      else if (res.statusCode >= 500) lines.warn(line, finished ? 'request not served' : 'request aborted');
      else if (!finished) lines.warn(line, 'request aborted');
      else lines.info(line, 'request completed');
    });
    next();
  };
}

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id, set by requestId() (http/request-id.ts). */
    id?: string;
  }
  interface ServerResponse {
    /** The unexpected error behind a 5xx, set by the error handler, logged on the request's line. */
    err?: Error;
  }
}
