import type { RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/** After every route: nothing matched the path, so answer with a 404 problem. */
export function notFound(): RequestHandler {
  return (_req, _res, next) => {
    next(new HttpError(404, 'There is nothing at this path.'));
  };
}
