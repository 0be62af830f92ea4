import type { ErrorRequestHandler } from 'express';
import { HttpError } from './http-error.ts';
import { sendProblem } from './problem.ts';

/** The errors Express's body parser raises, each with a status and a message we choose. */
const BODY_ERRORS: Readonly<Record<string, { status: number; detail: string }>> = {
  'entity.parse.failed': { status: 400, detail: 'The request body is not valid JSON.' },
  'entity.verify.failed': { status: 400, detail: 'The request body was refused.' },
  'entity.too.large': { status: 413, detail: 'The request body is larger than this API accepts.' },
  'request.aborted': { status: 400, detail: 'The request body was not received in full.' },
  'request.size.invalid': { status: 400, detail: 'The request body does not match its Content-Length.' },
  'charset.unsupported': { status: 415, detail: 'The request body must be UTF-8 encoded JSON.' },
  'encoding.unsupported': { status: 415, detail: 'Compressed request bodies are not accepted.' },
  'parameters.too.many': { status: 413, detail: 'The request has too many parameters.' },
};

function bodyErrorOf(err: unknown): { status: number; detail: string } | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err) || typeof err.type !== 'string') return undefined;
  return Object.hasOwn(BODY_ERRORS, err.type) ? BODY_ERRORS[err.type] : undefined;
}

/** A 4xx status set by Express or a library (a path with broken %-encoding is a 400, for example). */
function clientStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('status' in err) || typeof err.status !== 'number') return undefined;
  return err.status >= 400 && err.status < 500 ? err.status : undefined;
}

/**
 * The last middleware: every error becomes an RFC 9457 problem, so Express's own error handler (an
 * HTML page that prints the stack outside production) is never reached.
 *
 * What the client sees is chosen here, never taken from the error: an HttpError's detail was written
 * for clients, body-parser errors get fixed messages, other 4xx errors only their status, and anything
 * else is a bug answered with a bare 500: no message, stack or file path leaves the server, in any
 * environment. The full error always goes to the log.
 */
export function errorHandler(): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    // A request refused before its body was read (too large, not JSON): the client may still be sending
    // it, gigabytes if it declared so. Close the connection after the answer rather than read it all.
    if (!req.complete) res.setHeader('Connection', 'close');

    if (res.headersSent) {
      // Too late for a problem response: log the error and cut the connection so the client sees a
      // truncated response rather than a complete-looking one.
      res.err = err instanceof Error ? err : new Error(String(err));
      res.destroy();
      return;
    }

    if (err instanceof HttpError) {
      res.set(err.headers);
      sendProblem(req, res, err.status, err.message, err.errors);
      return;
    }

    const bodyError = bodyErrorOf(err);
    if (bodyError) {
      sendProblem(req, res, bodyError.status, bodyError.detail);
      return;
    }

    // The status is trusted, the message is not: it may name internals.
    const clientStatus = clientStatusOf(err);
    if (clientStatus !== undefined) {
      sendProblem(req, res, clientStatus);
      return;
    }

    // An unexpected error: the request's log line carries `res.err` with its stack (see log.ts). Its
    // message stays there, in every environment: it may quote SQL, table or constraint names, file
    // paths or a connection string, and a development server is often reachable by others too.
    res.err = err instanceof Error ? err : new Error(String(err));
    sendProblem(req, res, 500, 'An unexpected error occurred.');
  };
}
