import type { RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/**
 * Ends a route's chain: the path exists but not with this method, so 405 with the `Allow` header RFC
 * 9110 requires, instead of a misleading 404. `OPTIONS` without CORS (CORS preflights are answered
 * before routing) gets the same list with 204.
 */
export function methodNotAllowed(...methods: readonly string[]): RequestHandler {
  const allow = [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', ');
  return (req, res, next) => {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new HttpError(405, `This path accepts ${allow}.`));
  };
}
