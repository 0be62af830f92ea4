/** One problem with one input field: `path` such as `body.email` or `query.limit`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/**
 * An error meant for the client: its status, and a detail safe to show to anyone. Throw it (or pass it
 * to `next`) from any handler; the error handler turns it into a problem+json response. Any other error
 * is treated as a bug and answered with a bare 500.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    detail: string,
    extra: { errors?: readonly FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: extra.cause });
    this.status = status;
    this.errors = extra.errors;
    this.headers = extra.headers ?? {};
  }
}
