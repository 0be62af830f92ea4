import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { Problem } from '../http/problem.ts';

/** The body of every error response (src/http/problem.ts), as the document and the tests read it. */
export const problemSchema = z.strictObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string(),
  errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});

// The schema describes the Problem interface: a field added there and not here fails the typecheck.
problemSchema.shape satisfies Record<keyof Problem, z.ZodType>;

/** Why each refusal happens, as the document says it once for every route that can answer with it. */
export const REFUSAL_REASONS: Readonly<Record<number, string>> = {
  400: 'The request is not valid: `errors` lists each field and why (at most ten), or the body is not valid JSON.',
  401: 'No session, or an ended one. `WWW-Authenticate` names the scheme.',
  403: 'Signed in, but not allowed to do this.',
  404: 'There is nothing at this path, or nothing the caller may see: the same answer for both.',
  409: 'It conflicts with what exists.',
  413: 'The body is larger than this API accepts.',
  415: 'The body is not JSON sent with `Content-Type: application/json`.',
  429: 'Too many requests: try again after `Retry-After` seconds.',
  503: 'A service the request needs is unavailable, or the server is busy: try again after `Retry-After` seconds.',
};

/** The headers that come with some refusals. */
const REFUSAL_HEADERS: Readonly<Record<number, Record<string, { description: string; schema: { type: 'string' } }>>> = {
  401: { 'WWW-Authenticate': { description: 'The session scheme to authenticate with.', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds until a request is allowed again.', schema: { type: 'string' } } },
  503: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string' } } },
};

/** `components.responses` of the document: one problem response per status, which operations refer to. */
export function problemResponses(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(REFUSAL_REASONS).map(([status, reason]) => [
      `Problem${status}`,
      {
        description: `${STATUS_CODES[status] ?? 'Error'}: ${reason}`,
        ...(REFUSAL_HEADERS[Number(status)] ? { headers: REFUSAL_HEADERS[Number(status)] } : {}),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    ]),
  );
}
