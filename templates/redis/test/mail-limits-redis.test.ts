import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { RedisConnection } from '../src/redis.ts';
import { captureLogs, postJson, signUp, startApp, testDatabase } from './helpers.ts';
import { startMailServer, tokenIn } from './mail-server.ts';

/** Runs against the Redis at REDIS_URL (see test/redis.test.ts), skipped when it is not set. */
const REDIS_URL = process.env.REDIS_URL?.trim() ?? '';
const needsRedis = { skip: REDIS_URL === '' ? 'REDIS_URL is not set' : false };

test('redis: instances share each account\'s mail budget, and a reset clears the failed logins counted in Redis', needsRedis, async (t) => {
  const keyPrefix = `rl:test-${randomUUID()}:`;
  const mail = await startMailServer(t);
  const env = { ...mail.env, TRUST_PROXY: '1', RATE_LIMIT_AUTH: '2/1m' };
  const database = await testDatabase(t);
  const connect = () => {
    const redis = new RedisConnection(REDIS_URL, captureLogs().logger, { keyPrefix });
    t.after(() => redis.close());
    return redis;
  };
  const shared = connect();
  const other = connect();
  // Connected first: commands never queue while a client connects.
  assert.deepEqual([await shared.ready(), await other.ready()], [true, true]);
  const one = await startApp(t, env, { redis: shared, database });
  const two = await startApp(t, env, { redis: other, database });
  const from = (i: number) => ({ url: (i % 2 ? two : one).url, headers: { 'x-forwarded-for': `198.51.100.${String(20 + i)}` } });
  await signUp(one, 'victim@example.com');

  for (let i = 0; i < 6; i += 1) {
    const { url, headers } = from(i);
    assert.equal((await postJson(`${url}/api/v1/auth/password-reset`, { email: 'victim@example.com' }, headers)).status, 202);
  }
  for (let i = 0; i < 3; i += 1) await mail.next('victim@example.com');
  await Promise.all([one.mailSettled(), two.mailSettled()]);
  assert.equal(mail.received.length, 3, 'one budget for both instances');

  const owner = { 'x-forwarded-for': '198.51.100.1' };
  const login = (url: string, password: string) => postJson(`${url}/api/v1/auth/login`, { email: 'victim@example.com', password }, owner);
  assert.deepEqual([(await login(one.url, 'wrong one')).status, (await login(two.url, 'wrong two')).status], [401, 401]);
  assert.equal((await login(one.url, 'a brand new passphrase')).status, 429);
  // Only the newest of the three links works (mails may arrive in any order).
  const confirmed = [];
  for (const received of mail.received) {
    const token = tokenIn(received, 'reset-password');
    confirmed.push((await postJson(`${two.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: 'a brand new passphrase' }, owner)).status);
  }
  assert.deepEqual(confirmed.toSorted(), [204, 400, 400]);
  assert.equal((await login(one.url, 'a brand new passphrase')).status, 200, 'the count in Redis was cleared');

  const keys = JSON.stringify(await shared.sendCommand(['KEYS', `${keyPrefix}*`]));
  assert.match(keys, /mail-account:/);
  assert.doesNotMatch(keys, /victim|example\.com/);
});
