import { createClient } from '@redis/client';
import type { RedisReply } from 'rate-limit-redis';
import type { Logger } from './log.ts';
import { ServiceHealth } from './service-health.ts';

/**
 * How long one connection attempt may take, and how long startup waits for the first one. Bounded, so
 * an unreachable Redis never hangs the process: it starts without it instead (see src/server.ts).
 */
export const CONNECT_TIMEOUT_MS = 5_000;

/** The longest a request waits for Redis before its rate-limit tier's failure rule applies. */
export const COMMAND_TIMEOUT_MS = 1_000;

/** Commands awaiting replies from a Redis that stopped answering: beyond this many, new ones fail at once. */
const MAX_PENDING_COMMANDS = 1_000;

/** Reconnection never gives up: 50 ms, doubling, then every second until Redis answers again. */
const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** attempt, 1_000);

/** `promise`, or a rejection once `ms` have passed: nothing waits on Redis for longer. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Redis did not answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

export interface RedisOptions {
  /** Put before every key: `rl:` by default, so the limits' keys read `rl:global:<client>`. */
  readonly keyPrefix?: string;
  /** COMMAND_TIMEOUT_MS by default. */
  readonly commandTimeoutMs?: number;
}

/**
 * The connection to Redis the rate limiters count in, shared by every instance of the app.
 *
 * It fails fast: a command sent while Redis is unreachable is refused at once rather than queued until
 * it is back (node-redis's offline queue is off), and one that gets no answer fails after
 * COMMAND_TIMEOUT_MS, so each tier's failure rule applies immediately (src/security/rate-limit.ts).
 * Meanwhile it reconnects on its own, for as long as it takes; `health` says whether it is up.
 *
 * The URL's password never reaches the log: lines name the host only, and error messages are
 * scrubbed of it.
 */
export class RedisConnection {
  readonly keyPrefix: string;
  readonly #commandTimeoutMs: number;
  readonly #client;
  readonly #connected: Promise<void>;
  /** Up or down, reported by /readyz; an outage is logged once when it starts and once when it ends. */
  readonly health: ServiceHealth;
  readonly #logger: Logger;
  readonly #secrets: readonly string[];
  #connectedOnce = false;

  constructor(url: string, logger: Logger, { keyPrefix = 'rl:', commandTimeoutMs = COMMAND_TIMEOUT_MS }: RedisOptions = {}) {
    const { host, password } = new URL(url);
    this.keyPrefix = keyPrefix;
    this.#commandTimeoutMs = commandTimeoutMs;
    this.#logger = logger.child({ redis: host });
    this.health = new ServiceHealth('redis', this.#logger);
    this.#secrets = password === '' ? [] : [password, decodeURIComponent(password)];
    this.#client = createClient({
      url,
      // Refused at once while disconnected, never queued until Redis is back.
      disableOfflineQueue: true,
      commandsQueueMaxLength: MAX_PENDING_COMMANDS,
      // A bounded wait per connection attempt, and attempts that never stop.
      socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
    });
    // Without an 'error' listener, node-redis's first connection error would end the process.
    this.#client.on('error', (error: unknown) => {
      this.#onError(error);
    });
    this.#client.on('ready', () => {
      if (!this.#connectedOnce) this.#logger.info('connected to Redis');
      this.#connectedOnce = true;
      this.health.succeeded();
    });
    this.#connected = this.#client.connect().then(() => undefined);
    // Rejects only when close() comes before the first connection: nothing left to report then.
    this.#connected.catch(() => undefined);
    this.health.watch(() => this.sendCommand(['PING']));
  }

  /** Waits for the first connection, at most `timeoutMs`: false if Redis was not reachable in time. */
  async ready(timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
    return within(this.#connected, timeoutMs).then(
      () => true,
      () => false,
    );
  }

  /** One command: refused at once while disconnected, rejected after COMMAND_TIMEOUT_MS without an answer. */
  sendCommand(args: string[]): Promise<RedisReply> {
    return within(this.#client.sendCommand<RedisReply>(args), this.#commandTimeoutMs).then(
      (reply) => {
        this.health.succeeded();
        return reply;
      },
      (error: unknown) => {
        const scrubbed = this.#scrubError(error);
        this.health.failed(scrubbed);
        throw scrubbed;
      },
    );
  }

  /** Closes the connection once the commands in flight have their replies; at once if Redis is down. */
  async close(): Promise<void> {
    this.health.stopWatching();
    if (!this.#client.isOpen) return;
    await within(this.#client.close(), this.#commandTimeoutMs).catch(() => {
      this.#client.destroy();
    });
    this.#logger.info('Redis connection closed');
  }

  /** Reported once per outage by the health (service-health.ts); the retries in between say nothing. */
  #onError(error: unknown): void {
    this.health.failed(new Error(this.#scrub(error instanceof Error ? error.message : String(error))));
  }

  #scrub(text: string): string {
    return this.#secrets.reduce((scrubbed, secret) => scrubbed.replaceAll(secret, '[redacted]'), text);
  }

  /** The same error, or a copy without the password if its message quotes it (a server echoing AUTH). */
  #scrubError(error: unknown): unknown {
    if (!(error instanceof Error) || this.#scrub(error.message) === error.message) return error;
    const scrubbed = new Error(this.#scrub(error.message));
    scrubbed.name = error.name;
    return scrubbed;
  }
}
