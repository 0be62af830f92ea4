import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { RedisConnection } from '../redis.ts';
import { ServiceUnavailable } from '../service-health.ts';

/**
 * rate-limit-redis, made to live through a Redis that comes and goes. The library loads its Lua
 * script when the limiter is created and keeps that promise: had Redis been down at that moment, every
 * later count would fail with the same error, even once Redis is back. Here a failed load is tried
 * again on the next count, and a failed count becomes a ServiceUnavailable: the login tiers answer it
 * with a 503, the global tier lets the request through uncounted (the outage is logged once, by the
 * connection's health).
 */
class SharedRedisStore extends RedisStore {
  override async init(options: Options): Promise<void> {
    // Redis down at start: the connection has logged it, and increment() loads the script later.
    await super.init(options).catch(() => undefined);
  }

  override loadIncrementScript(key?: string): Promise<string> {
    const loading = super.loadIncrementScript(key);
    // Awaited by the count that asked for it; a load that lost a race must not become an unhandled rejection.
    loading.catch(() => undefined);
    return loading;
  }

  override loadGetScript(key?: string): Promise<string> {
    const loading = super.loadGetScript(key);
    loading.catch(() => undefined);
    return loading;
  }

  override async increment(key: string): Promise<IncrementResponse> {
    try {
      await this.incrementScriptSha.catch(() => {
        this.incrementScriptSha = this.loadIncrementScript();
      });
      return await super.increment(key);
    } catch (error) {
      throw new ServiceUnavailable(error);
    }
  }
}

/** Makes the store a limiter counts in; each limiter gets one of its own, named after it. */
export type RateLimitStores = (name: string) => Store;

/**
 * Where the rate limiters keep their counts: in Redis, shared by every instance, so a client gets its
 * limit once however many instances serve it, and a restart of the app forgets nothing. Each limiter
 * counts under its own key prefix (`rl:global:`, `rl:login:`, ...); no key holds an email (the login
 * limits key accounts by their keyed hash).
 *
 * Without a connection (REDIS_URL unset, which only development and tests allow) the counts stay in
 * this process's memory.
 */
export function createRateLimitStores(redis?: RedisConnection): RateLimitStores {
  if (redis === undefined) return () => new MemoryStore();
  return (name) =>
    new SharedRedisStore({
      prefix: `${redis.keyPrefix}${name}:`,
      sendCommand: (...args: string[]) => redis.sendCommand(args),
    });
}
