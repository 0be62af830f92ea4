import express, { type NextFunction, type Request, type RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/**
 * Keys that could reach `Object.prototype` if some later code merged the body into another object
 * (`{"__proto__": {"isAdmin": true}}`). JSON.parse itself only creates harmless own properties, but a
 * careless deep merge, `Object.assign` or lodash-style `set` would not, so such payloads are refused
 * while parsing: they never reach validation, a handler or any other object.
 */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value)) {
    throw new SyntaxError(`Forbidden key "${key}" in JSON body`);
  }
  return value;
}

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * JSON bodies only, up to `limit`. Accepting forms or text as well would give every route a second
 * parser and a second set of surprises (`express.urlencoded({ extended: true })` builds nested objects
 * from `a[b][c]=1`). A body of any other type is a 415 before anything reads it; one over the limit is
 * a 413 as soon as the count passes the limit, so a huge body costs neither memory nor a parse.
 */
const UNITS = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;

/** `100kb` as bytes: the sizes config.ts accepts. */
function bytesOf(limit: string): number {
  const [, amount = '0', unit = 'b'] = /^(\d+)(b|kb|mb)$/i.exec(limit) ?? [];
  return Number(amount) * UNITS[unit.toLowerCase() as keyof typeof UNITS];
}

const TOO_LARGE = 'The request body is larger than this API accepts.';

/**
 * `next` for the parser of a chunked body, which declares no length. The parser counts it, but past
 * the limit it reads (and drops) the rest before it answers: for as long as the client sends, up to
 * the request timeout. Counted here too, the body is refused as soon as it passes the limit (the error
 * handler then closes the connection), and the parser's own answer, once the rest is read, is dropped.
 */
function refusedPastLimit(req: Request, maxBytes: number, next: NextFunction): NextFunction {
  let received = 0;
  let answered = false;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) answer(new HttpError(413, TOO_LARGE));
  };
  const answer = (error?: unknown) => {
    req.off('data', count);
    if (answered) return;
    answered = true;
    next(error);
  };
  req.on('data', count);
  return answer;
}

export function jsonBody(limit: string): RequestHandler {
  const maxBytes = bytesOf(limit);
  const parseJson: RequestHandler = express.json({
    limit,
    // Objects and arrays only at the top level, as JSON APIs expect.
    strict: true,
    type: 'application/json',
    // Compressed bodies are refused (415): no client needs them here, and inflating is work an
    // attacker could make the server do for free.
    inflate: false,
    // UTF-8 only (RFC 8259): the parser would also decode UTF-16 and UTF-32, which a proxy or firewall
    // reading the body as UTF-8 cannot inspect. Refused as an unsupported charset (415).
    verify: (_req, _res, _body, encoding) => {
      if (encoding !== 'utf-8') throw Object.assign(new Error(`Unsupported charset "${encoding}"`), { type: 'charset.unsupported' });
    },
    reviver: refusePrototypeKeys,
  });

  return (req, res, next) => {
    // Most requests (GET, HEAD, DELETE) have no body: nothing to check or parse.
    if (!hasBody(req)) {
      next();
      return;
    }
    if (!req.is('application/json')) {
      next(new HttpError(415, 'Request bodies must be JSON, sent with Content-Type: application/json.'));
      return;
    }
    // Declared too large: refused at once. (The parser would first read the whole body, to keep the
    // connection usable, and a client declaring gigabytes would hold it until the request timeout.)
    if (Number(req.get('content-length')) > maxBytes) {
      next(new HttpError(413, TOO_LARGE));
      return;
    }
    parseJson(req, res, req.get('content-length') === undefined ? refusedPastLimit(req, maxBytes, next) : next);
  };
}
