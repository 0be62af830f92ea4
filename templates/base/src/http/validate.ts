import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError, type FieldError } from './http-error.ts';

type Location = 'params' | 'query' | 'body';
type Parsed<S, Otherwise> = S extends z.ZodType ? Readonly<z.output<S>> : Otherwise;

/** What a route accepts. Write each schema with `z.strictObject` so unknown fields are refused. */
export interface Schemas<P, Q, B> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
}

/**
 * At most this many errors are listed, with the total in `detail`: a body of ten thousand unknown
 * fields gets a short answer, not one five times its size.
 */
export const MAX_LISTED_ERRORS = 10;

/** A route that declares no query schema takes no query parameters at all. */
const noQuery = z.strictObject({});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * How much of the request a 400 echoes: a field or parameter name is cut at MAX_ECHOED_NAME characters
 * and a message at MAX_ECHOED_MESSAGE, so a 99 KB unknown key does not come back as a 99 KB answer
 * (nor land whole in a client's or a proxy's logs).
 */
export const MAX_ECHOED_NAME = 64;
const MAX_ECHOED_MESSAGE = 200;

const shortened = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
const pathOf = (location: Location, keys: readonly PropertyKey[]) =>
  [location, ...keys.map((key) => shortened(String(key), MAX_ECHOED_NAME))].join('.');

function fieldErrors(location: Location, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const what = location === 'query' ? 'parameter' : 'field';
      return issue.keys.map((key) => ({ path: pathOf(location, [...issue.path, key]), message: `Unknown ${what}` }));
    }
    return [{ path: pathOf(location, issue.path), message: shortened(issue.message, MAX_ECHOED_MESSAGE) }];
  });
}

/**
 * Validates a request against zod schemas before the handler runs. The handler then reads typed,
 * frozen values from `req.params`, `req.query` and `req.body`: exactly what the schemas describe,
 * normalized by them, and nothing else. Everything that fails is reported at once as a 400 problem
 * with `errors: [{ path, message }]` (the first MAX_LISTED_ERRORS of them).
 *
 * Query strings come from Express's simple parser, which yields strings and, for `?a=1&a=2`, arrays.
 * A repeated parameter is refused outright: different layers (a proxy, a WAF, this app) may each pick
 * a different copy (HTTP parameter pollution). Nested syntax like `?a[b]=1` stays a literal key that
 * no schema knows. A route without a body schema never sees a body.
 */
export function validate<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  schemas: Schemas<P, Q, B>,
): RequestHandler<Parsed<P, Record<string, string>>, unknown, Parsed<B, undefined>, Parsed<Q, Record<string, never>>> {
  return declaring(schemas, (req, _res, next) => {
    const errors: FieldError[] = [];
    const check = (location: Location, schema: z.ZodType, input: unknown): unknown => {
      const result = schema.safeParse(input);
      if (result.success) return deepFreeze(result.data);
      errors.push(...fieldErrors(location, result.error));
      return undefined;
    };

    const params = schemas.params ? check('params', schemas.params, req.params) : req.params;

    // Express 5 parses the query string again on every read of `req.query`: read it once.
    const rawQuery: Record<string, unknown> = req.query;
    const repeated = Object.entries(rawQuery).filter(([, value]) => Array.isArray(value));
    for (const [name] of repeated) errors.push({ path: pathOf('query', [name]), message: 'Repeated parameter' });
    const query = repeated.length === 0 ? check('query', schemas.query ?? noQuery, rawQuery) : undefined;

    const body = schemas.body ? check('body', schemas.body, req.body) : undefined;

    if (errors.length > 0) {
      const detail =
        errors.length > MAX_LISTED_ERRORS
          ? `The request is not valid: ${errors.length} errors, the first ${MAX_LISTED_ERRORS} listed.`
          : 'The request is not valid.';
      next(new HttpError(400, detail, { errors: errors.slice(0, MAX_LISTED_ERRORS) }));
      return;
    }

    req.params = params as typeof req.params;
    // Express 5 computes `req.query` with a getter on each access; shadow it with the parsed value.
    Object.defineProperty(req, 'query', { value: query, enumerable: true, configurable: true });
    req.body = body as typeof req.body;
    next();
  });
}

/** What validate() checks: for the OpenAPI document (src/openapi/document.ts), never for the request. */
export type DeclaredSchemas = Schemas<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

const declared = new WeakMap<object, DeclaredSchemas>();

function declaring<H extends object>(schemas: DeclaredSchemas, handler: H): H {
  declared.set(handler, { ...schemas, query: schemas.query ?? noQuery });
  return handler;
}

/** The schemas a route's handler validates, if it is a validate() handler; a query schema is always there. */
export function requestSchemasOf(handler: unknown): DeclaredSchemas | undefined {
  return typeof handler === 'function' ? declared.get(handler) : undefined;
}
