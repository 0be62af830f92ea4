/** A backing service the app cannot serve without, such as a database or a shared rate-limit store. */
export type ReadinessCheck = () => Promise<boolean>;

/**
 * Whether this instance should receive traffic. Load balancers and orchestrators poll /readyz:
 * it fails as soon as shutdown begins, so they stop routing new requests here while the in-flight
 * ones finish, and whenever a registered backing service is down.
 */
export class Readiness {
  #shuttingDown = false;
  readonly #checks: ReadinessCheck[] = [];

  addCheck(check: ReadinessCheck): void {
    this.#checks.push(check);
  }

  startShutdown(): void {
    this.#shuttingDown = true;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  async isReady(): Promise<boolean> {
    if (this.#shuttingDown) return false;
    const results = await Promise.all(this.#checks.map((check) => check().catch(() => false)));
    return results.every(Boolean);
  }
}
