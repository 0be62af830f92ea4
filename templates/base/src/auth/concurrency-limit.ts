import { HttpError } from '../http/http-error.ts';

/** Every slot and every place in the queue is taken: the caller should come back shortly. */
export class Busy extends HttpError {
  override name = 'Busy';

  constructor() {
    super(503, 'The server is busy: try again in a moment.', { headers: { 'Retry-After': '1' } });
  }
}

export interface ConcurrencyLimit {
  /** Runs `work` when a slot is free; rejects with Busy at once when `queue` callers already wait. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * At most `slots` tasks at a time, at most `queue` more waiting, and nobody beyond that: a burst gets
 * a quick 503 instead of a queue that grows until every request, the cheap ones included, times out.
 */
export function concurrencyLimit(slots: number, queue = slots): ConcurrencyLimit {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async run(work) {
      if (running < slots) running += 1;
      else if (waiting.length < queue) await new Promise<void>((resolve) => waiting.push(resolve));
      else throw new Busy();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
