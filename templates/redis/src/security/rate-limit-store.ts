import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { HttpError } from '../http/http-error.ts';
import type { RedisConnection } from '../redis.ts';

/**
 * A count that could not be made: Redis is unreachable or did not answer in time. Each tier decides
 * what that means (src/security/rate-limit.ts): the auth tiers answer with this 503, the global tier
 * lets the request through with a warning in the log.
 */
export class RateLimitStoreUnavailable extends HttpError {
  override name = 'RateLimitStoreUnavailable';

  constructor(cause: unknown) {
    super(503, 'The rate limit cannot be checked right now: try again in a few seconds.', {
      cause,
      headers: { 'Retry-After': '5' },
    });
  }
}

/**
 * rate-limit-redis, made to live through a Redis that comes and goes. The library loads its Lua
 * script when the limiter is created and keeps that promise: had Redis been down at that moment, every
 * later count would fail with the same error, even once Redis is back. Here a failed load is tried
 * again on the next count, and a failed count becomes a RateLimitStoreUnavailable.
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
      throw new RateLimitStoreUnavailable(error);
    }
  }
}

/**
 * Where the rate limiters keep their counts: in Redis, shared by every instance, so a client gets its
 * limit once however many instances serve it, and a restart of the app forgets nothing. Each limiter
 * counts under its own key prefix (`rl:global:`, `rl:auth:`, `rl:account:`).
 *
 * Without a connection (REDIS_URL unset, which only development and tests allow) the counts stay in
 * this process's memory.
 */
export function createRateLimitStore(name: string, redis?: RedisConnection): Store {
  if (redis === undefined) return new MemoryStore();
  return new SharedRedisStore({
    prefix: `${redis.keyPrefix}${name}:`,
    sendCommand: (...args: string[]) => redis.sendCommand(args),
  });
}
