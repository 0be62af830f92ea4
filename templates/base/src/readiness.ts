import type { ServiceHealth, ServiceState } from './service-health.ts';

export type Phase = 'starting' | 'ready' | 'stopping';

export interface ReadinessReport {
  readonly phase: Phase;
  /** The state of each shared service, by name: shown, but never the reason this instance is not ready. */
  readonly dependencies: Readonly<Record<string, ServiceState>>;
}

/**
 * Whether this instance should receive traffic. Load balancers and orchestrators poll /readyz: it
 * fails until start-up work is done (server.ts marks it ready once listening) and again as soon as
 * shutdown begins, so they stop routing new requests here while the in-flight ones finish. Shared
 * services are reported but do not count (see service-health.ts).
 */
export class Readiness {
  #phase: Phase = 'starting';
  readonly #services: ServiceHealth[] = [];

  report(service: ServiceHealth): void {
    this.#services.push(service);
  }

  markReady(): void {
    if (this.#phase === 'starting') this.#phase = 'ready';
  }

  startShutdown(): void {
    this.#phase = 'stopping';
  }

  get shuttingDown(): boolean {
    return this.#phase === 'stopping';
  }

  status(): ReadinessReport {
    return {
      phase: this.#phase,
      dependencies: Object.fromEntries(this.#services.map((service) => [service.name, service.state])),
    };
  }
}
