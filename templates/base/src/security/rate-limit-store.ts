import { MemoryStore, type Store } from 'express-rate-limit';

/** Makes the store a limiter counts in; each limiter gets one of its own, named after it. */
export type RateLimitStores = (name: string) => Store;

/**
 * Where the rate limiters keep their counts: here, in this process's memory. Limits then hold per
 * instance: with several instances behind a load balancer each client gets the limit once per
 * instance, and a restart forgets every count. A shared store (Redis, `--rate-limit-store redis`)
 * fixes both; it replaces only this file.
 */
export function createRateLimitStores(): RateLimitStores {
  return () => new MemoryStore();
}
