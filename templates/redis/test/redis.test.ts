import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/config.ts';
import type { Logger } from '../src/log.ts';
import { RedisConnection, type RedisOptions } from '../src/redis.ts';
import { captureLogs, databaseEnv, deviceProofOf, PASSWORD, postJson, signUp, startApp, testDatabase } from './helpers.ts';
import { TcpProxy } from './tcp-proxy.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

/**
 * The tests named `redis: …` run against the Redis at REDIS_URL, and are reported as skipped when it is
 * not set. Use a throwaway Redis: they write keys under prefixes of their own (`rl:test-<uuid>:`),
 * which expire within a minute, and take "Redis" away through a proxy, never the real one.
 */
const REDIS_URL = process.env.REDIS_URL?.trim() ?? '';
const needsRedis = { skip: REDIS_URL === '' ? 'REDIS_URL is not set' : false };

/** A connection of its own, counting under a key prefix of its own, closed when the test ends. */
function connect(t: TestContext, url: string, logger: Logger = captureLogs().logger, options: RedisOptions = {}) {
  const redis = new RedisConnection(url, logger, { keyPrefix: `rl:test-${randomUUID()}:`, ...options });
  t.after(() => redis.close());
  return redis;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await sleep(50);
  }
}

/** Lets configurations load; nothing here connects to it. */
const DATABASE_URL = 'postgres://app@db.invalid:5432/app';

const statusOf = async (url: string) => (await fetch(url)).status;

/** What /readyz says of Redis: 'up' or 'down'. */
const redisState = async (url: string) =>
  ((await (await fetch(`${url}/readyz`)).json()) as { dependencies: Record<string, string> }).dependencies.redis;

test('REDIS_URL is required in production: missing or empty, the server stops with one line naming it', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), ConfigError);
  const result = spawnSync(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', REDIS_URL: '' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0] ?? '', /^Missing environment variable REDIS_URL: .*redis:\/\//);
  // Development and tests may count in memory.
  assert.equal(loadConfig({ NODE_ENV: 'development', DATABASE_URL }).redisUrl, undefined);
});

test('a malformed REDIS_URL is refused in one line that never shows the password', () => {
  const malformed = [
    'localhost:6379',
    'http://:hunter2@redis.internal:6379',
    'redis://',
    'redis://:hunter2@redis.internal:6379/db',
    'redis://:hunter2%zz@redis.internal:6379',
    'redis://:hunter2@redis.internal:6379/0?tls=true',
  ];
  for (const value of malformed) {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'development', REDIS_URL: value }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^Invalid environment variable REDIS_URL: expected /.test(error.message) &&
        !error.message.includes('hunter2'),
      value,
    );
  }
  for (const value of ['redis://redis.internal:6379', 'rediss://app:p%40ss@redis.internal:6380/2', 'redis://[::1]:6379/0']) {
    assert.equal(loadConfig({ NODE_ENV: 'development', REDIS_URL: value, DATABASE_URL }).redisUrl, value);
  }
});

test('without Redis, two instances each count alone: a client spreading requests gets twice the limit', async (t) => {
  const one = await startApp(t, { RATE_LIMIT_GLOBAL: '4/1m' });
  const two = await startApp(t, { RATE_LIMIT_GLOBAL: '4/1m' });
  const statuses = [];
  for (let i = 0; i < 9; i += 1) statuses.push(await statusOf(`${(i % 2 ? two : one).url}/api/v1/users/me`));
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 401, 401, 429]);
});

/**
 * Two instances of one deployment: the same Redis, under a key prefix of this test's, and the same
 * database (whose keys hash accounts and sign device proofs). Connected before anything is counted:
 * commands never queue while a client connects, and the global tier lets a request through uncounted
 * when its store cannot answer (a slow connect on a busy machine would look like that).
 */
async function twoInstances(t: TestContext, env: Record<string, string>) {
  const keyPrefix = `rl:test-${randomUUID()}:`;
  const database = await testDatabase(t);
  const shared = connect(t, REDIS_URL, undefined, { keyPrefix });
  const other = connect(t, REDIS_URL, undefined, { keyPrefix });
  assert.deepEqual([await shared.ready(), await other.ready()], [true, true]);
  return { keyPrefix, shared, one: await startApp(t, env, { redis: shared, database }), two: await startApp(t, env, { redis: other, database }) };
}

test('redis: two instances share one count, so the client gets its 429 on request max + 1', needsRedis, async (t) => {
  const { keyPrefix, shared, one, two } = await twoInstances(t, { TRUST_PROXY: '1', RATE_LIMIT_GLOBAL: '4/1m', RATE_LIMIT_AUTH: '2/1m' });
  const from = (i: number) => (i % 2 ? two : one).url;

  const statuses = [];
  for (let i = 0; i < 5; i += 1) {
    statuses.push((await fetch(`${from(i)}/api/v1/users/me`, { headers: { 'x-forwarded-for': '203.0.113.10' } })).status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 429]);

  // Failed logins too: one account from one address, spread over two instances, one count.
  const logins = [];
  for (let i = 0; i < 3; i += 1) {
    const body = { email: 'victim@example.com', password: 'wrong password' };
    logins.push((await postJson(`${from(i)}/api/v1/auth/login`, body, { 'x-forwarded-for': '198.51.100.1' })).status);
  }
  assert.deepEqual(logins, [401, 401, 429]);
  // The keys name the account by its keyed hash, never by its email.
  const keys = JSON.stringify(await shared.sendCommand(['KEYS', `${keyPrefix}*`]));
  assert.match(keys, /login-account:/);
  assert.doesNotMatch(keys, /victim|example\.com/);
});

test('redis: a device proof is one budget across instances, under a key that holds neither the email nor the proof', needsRedis, async (t) => {
  const { keyPrefix, shared, one, two } = await twoInstances(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '2/1m' });
  await signUp(one, 'owner@example.com');
  const proof = await deviceProofOf(await postJson(`${one.url}/api/v1/auth/login`, { email: 'owner@example.com', password: PASSWORD }));
  const login = (url: string, password: string) =>
    postJson(`${url}/api/v1/auth/login`, { email: 'owner@example.com', password, ...proof.body }, { 'x-forwarded-for': '203.0.113.5', ...proof.headers });
  assert.deepEqual([(await login(one.url, 'wrong guess')).status, (await login(two.url, 'wrong guess')).status, (await login(one.url, PASSWORD)).status], [401, 401, 429]);
  const keys = JSON.stringify(await shared.sendCommand(['KEYS', `${keyPrefix}*`]));
  assert.match(keys, /login-device:/);
  const mac = (proof.body.deviceToken ?? proof.headers.cookie ?? '').split('.')[1] ?? '';
  assert.ok(mac.length > 0 && !keys.includes(mac), 'no proof in Redis');
  assert.doesNotMatch(keys, /owner|example\.com/);
});

test('redis: while Redis is down the login limits refuse (503), the global one lets requests through uncounted, /readyz stays 200 naming it; all recover', needsRedis, async (t) => {
  const proxy = await TcpProxy.start(REDIS_URL);
  t.after(() => proxy.down());
  const { logger, lines } = captureLogs();
  const redis = connect(t, proxy.url, logger);
  assert.equal(await redis.ready(), true);
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '100/1m', RATE_LIMIT_AUTH: '100/1m' }, { redis, logger });
  const login = () => postJson(`${url}/api/v1/auth/login`, { email: 'someone@example.com', password: 'wrong password' });

  assert.equal(await redisState(url), 'up');
  assert.equal((await login()).status, 401);

  await proxy.down();
  await until(async () => (await redisState(url)) === 'down', '/readyz names Redis down');
  assert.equal(await statusOf(`${url}/readyz`), 200, 'every instance shares Redis: a 503 would take them all out at once');
  const refused = await login();
  assert.equal(refused.status, 503);
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(refused.headers.get('retry-after'), '5');
  for (let i = 0; i < 5; i += 1) {
    const passed = await fetch(`${url}/api/v1/users/me`);
    assert.equal(passed.status, 401);
    assert.equal(passed.headers.get('ratelimit'), null, 'passed uncounted');
  }

  await proxy.up();
  await until(async () => (await redisState(url)) === 'up', '/readyz names Redis up again');
  assert.equal((await login()).status, 401);
  assert.match((await fetch(`${url}/api/v1/users/me`)).headers.get('ratelimit') ?? '', /^"global"; r=\d+/);
  // The outage is two lines, without a stack, however many requests met it: not a warning per request.
  const outage = lines().filter((line) => line.service === 'redis' || String(line.msg).startsWith('rate-limit store'));
  assert.deepEqual(
    outage.map((line) => [line.level, String(line.msg).split(':')[0]]),
    [
      [50, 'redis is unavailable'],
      [30, 'redis is available again'],
    ],
  );
  assert.ok(!JSON.stringify(outage).includes('"stack"'));
});

test('redis: a Redis that stops answering costs a request one command timeout per tier, then the same rules apply', needsRedis, async (t) => {
  const proxy = await TcpProxy.start(REDIS_URL);
  t.after(() => proxy.down());
  // COMMAND_TIMEOUT_MS (1 s) in production; shorter here to keep the test quick.
  const redis = connect(t, proxy.url, undefined, { commandTimeoutMs: 200 });
  assert.equal(await redis.ready(), true);
  const { url } = await startApp(t, {}, { redis });

  proxy.freeze();
  const started = Date.now();
  const refused = await postJson(`${url}/api/v1/auth/login`, { email: 'someone@example.com', password: 'wrong password' });
  assert.equal(refused.status, 503);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 400 && elapsed < 1_000, `answered after ${String(elapsed)} ms: one timeout for the global tier, one for the first login tier`);
  assert.equal(await redisState(url), 'down');

  proxy.thaw();
  await until(async () => (await redisState(url)) === 'up', '/readyz names Redis up again');
});

test('redis: an app started while Redis is down starts counting as soon as Redis is reachable', needsRedis, async (t) => {
  const proxy = await TcpProxy.start(REDIS_URL);
  await proxy.down();
  t.after(() => proxy.down());
  const redis = connect(t, proxy.url);
  assert.equal(await redis.ready(200), false, 'startup does not wait forever');
  const { url } = await startApp(t, { RATE_LIMIT_AUTH: '2/1m' }, { redis });
  const login = () => postJson(`${url}/api/v1/auth/login`, { email: 'someone@example.com', password: 'wrong password' });
  assert.equal((await login()).status, 503);

  await proxy.up();
  await until(async () => (await redisState(url)) === 'up', '/readyz names Redis up');
  assert.deepEqual([(await login()).status, (await login()).status, (await login()).status], [401, 401, 429]);
});

test('the password in REDIS_URL never reaches the log, even when the server repeats it in an error', async (t) => {
  // A server that answers every command with an error quoting its arguments, as Redis does for a
  // command it does not know: the handshake's AUTH (password included) comes back in the error.
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (data: Buffer) => {
      socket.write(`-ERR unknown command, with args beginning with: ${data.toString().replaceAll('\r\n', ' ')}\r\n`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  const { logger, lines } = captureLogs('debug');
  const redis = connect(t, `redis://app:sekrit%2Fpassword@127.0.0.1:${String(port)}`, logger);

  await until(() => Promise.resolve(lines().some((line) => Number(line.level) >= 40)), 'a log line about the refused connection');
  assert.equal(redis.health.state, 'down');
  const logged = JSON.stringify(lines());
  assert.match(logged, /\[redacted\]/, 'the error was logged, scrubbed');
  assert.doesNotMatch(logged, /sekrit/);
});

test('redis: SIGTERM closes the Redis connection, then the server exits 0', needsRedis, async (t) => {
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: '0', REDIS_URL, ...(await databaseEnv(t)) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit');
  const messages: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as { msg: string; port?: number };
    messages.push(entry.msg);
    if (entry.msg === 'listening') {
      assert.equal(await redisState(`http://127.0.0.1:${String(entry.port)}`), 'up');
      child.kill('SIGTERM');
    }
  }
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
  // Closed before 'shut down' is logged; the last two lines may reach the pipe in either order.
  for (const msg of ['connected to Redis', 'Redis connection closed', 'shut down']) assert.ok(messages.includes(msg), msg);
});
