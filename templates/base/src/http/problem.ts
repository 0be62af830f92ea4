import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import type { FieldError } from './http-error.ts';
import { requestIdOf } from './request-id.ts';

/** An RFC 9457 problem details object, the body of every error response. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly requestId: string;
  readonly errors?: readonly FieldError[];
}

/**
 * Sends an `application/problem+json` response. The type is `about:blank`, so by RFC 9457 the title is
 * the status text; `detail` explains this occurrence and `requestId` ties it to the server's log line.
 */
export function sendProblem(
  req: Request,
  res: Response,
  status: number,
  detail?: string,
  errors?: readonly FieldError[],
): void {
  const problem: Problem = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    // The path only: a query string may carry values that belong to the client alone.
    instance: req.originalUrl.split('?', 1)[0] ?? '/',
    requestId: requestIdOf(req),
    ...(errors === undefined ? {} : { errors }),
  };
  res.status(status).type('application/problem+json').json(problem);
}
