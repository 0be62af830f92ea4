import { HttpError } from './http/http-error.ts';
import type { Logger } from './log.ts';

export type ServiceState = 'up' | 'down';

/**
 * The state of one backing service that every instance shares (the database, Redis): learned from the
 * requests that use it and from a light check every few seconds. A shared service's outage is not
 * this instance's fault, so it never fails readiness (that would take every instance out of the load
 * balancer at once): the requests that need the service get a 503 instead, and the outage is logged
 * once when it starts and once when it ends.
 */
export class ServiceHealth {
  readonly name: string;
  readonly #logger: Logger;
  #state: ServiceState = 'up';
  #downSince = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(name: string, logger: Logger) {
    this.name = name;
    this.#logger = logger;
  }

  get state(): ServiceState {
    return this.#state;
  }

  /** A request or check reached the service. */
  succeeded(): void {
    if (this.#state === 'up') return;
    this.#state = 'up';
    this.#logger.info({ service: this.name, downForMs: Date.now() - this.#downSince }, `${this.name} is available again`);
  }

  /** A request or check could not reach the service. The reason is logged, never shown to clients. */
  failed(error: unknown): void {
    if (this.#state === 'down') return;
    this.#state = 'down';
    this.#downSince = Date.now();
    const reason = error instanceof Error ? error.message : String(error);
    this.#logger.error({ service: this.name, reason }, `${this.name} is unavailable: requests that need it get a 503 until it is back`);
  }

  /** Runs `check` every `intervalMs`, so the state stays true while no request uses the service. */
  watch(check: () => Promise<unknown>, intervalMs = 5_000): void {
    this.#timer = setInterval(() => {
      check().then(
        () => {
          this.succeeded();
        },
        (error: unknown) => {
          this.failed(error);
        },
      );
    }, intervalMs);
    this.#timer.unref();
  }

  stopWatching(): void {
    clearInterval(this.#timer);
  }
}

/** What a request that needs an unavailable service gets: a 503 problem, and when to try again. */
export class ServiceUnavailable extends HttpError {
  override name = 'ServiceUnavailable';

  constructor(cause: unknown) {
    super(503, 'A service this request needs is unavailable: try again in a few seconds.', {
      cause,
      headers: { 'Retry-After': '5' },
    });
  }
}
