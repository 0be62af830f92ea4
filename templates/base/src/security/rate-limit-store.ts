import { MemoryStore, type Store } from 'express-rate-limit';

/**
 * Where the rate limiters keep their counts: here, in this process's memory. Limits then hold per
 * instance: with several instances behind a load balancer each client gets the limit once per
 * instance, and a restart forgets every count. A shared store (Redis) fixes both; it replaces only
 * this file. Each limiter needs a store of its own, named after it.
 */
export function createRateLimitStore(_name: string): Store {
  return new MemoryStore();
}
