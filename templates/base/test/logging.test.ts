import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPasswordHasher } from '../src/auth/passwords.ts';
import { captureLogs, PASSWORD, postJson, startApp } from './helpers.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('one JSON log line per request, with its request id, method, URL, client address and status', async (t) => {
  const { logger, lines } = captureLogs();
  // Behind a proxy, whose request ids are kept (see test/request-id.test.ts).
  const { url } = await startApp(t, { TRUST_PROXY: '1', TRUST_REQUEST_ID: 'true' }, { logger });
  await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'req-one' } });
  await fetch(`${url}/nope`, { headers: { 'x-request-id': 'req-two' } });
  await settle();
  const requests = lines().filter((line) => line.req !== undefined);
  assert.equal(requests.length, 2);
  const [first, second] = requests as [Record<string, unknown>, Record<string, unknown>];
  assert.deepEqual(
    [first.req, second.req].map((req) => {
      const { id, method, url: path, remoteAddress } = req as Record<string, unknown>;
      return { id, method, path, remoteAddress };
    }),
    [
      { id: 'req-one', method: 'GET', path: '/healthz', remoteAddress: '127.0.0.1' },
      { id: 'req-two', method: 'GET', path: '/nope', remoteAddress: '127.0.0.1' },
    ],
  );
  assert.equal((first.res as { statusCode: number }).statusCode, 200);
  assert.equal((second.res as { statusCode: number }).statusCode, 404);
  assert.equal(typeof first.responseTime, 'number');
});

test('Authorization, cookies and passwords never reach the log', async (t) => {
  const { logger, lines } = captureLogs('trace');
  const { url } = await startApp(t, {}, { logger });
  const secrets = ['Bearer sekrit-token-123', 'session=sekrit-cookie-456', 'sekrit-password-789'];
  await postJson(
    `${url}/api/v1/auth/login`,
    { email: 'nobody@example.com', password: secrets[2] },
    { authorization: secrets[0] ?? '', cookie: secrets[1] ?? '' },
  );
  await settle();
  const text = lines()
    .map((line) => JSON.stringify(line))
    .join('\n');
  assert.ok(text.length > 0);
  for (const secret of secrets) assert.ok(!text.includes(secret), `log contains ${secret}`);
  // The request line names the request without copying any of its headers.
  const request = lines().find((line) => line.req !== undefined)?.req as Record<string, unknown>;
  assert.deepEqual(Object.keys(request).sort(), ['id', 'method', 'remoteAddress', 'url']);
});

test('password fields are redacted wherever code logs them', () => {
  const { logger, lines } = captureLogs();
  logger.info({ password: 'p1', user: { password: 'p2' }, body: { user: { password: 'p3' } } }, 'careless');
  const [line] = lines();
  assert.ok(line);
  assert.ok(!JSON.stringify(line).match(/p[123]"/), JSON.stringify(line));
});

test('query strings are logged with their values redacted, names kept', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, {}, { logger });
  await fetch(`${url}/api/v1/users?access_token=SEKRIT-TOKEN&limit=5&&flag`);
  await settle();
  const request = lines().find((line) => line.req !== undefined)?.req as Record<string, unknown>;
  assert.equal(request.url, '/api/v1/users?access_token=[redacted]&limit=[redacted]&[redacted]');
  assert.ok(!JSON.stringify(lines()).includes('SEKRIT'));
});

test('a credential where a parameter name goes never reaches the log: bare, encoded, padded or odd names', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, {}, { logger });
  const queries = [
    ['SEKRITd41d8cd98f00b204e9800998ecf8427e', '[redacted]'],
    ['code%3DSEKRIT', '[redacted]'],
    ['U0VLUklUIHRva2Vu==', '[redacted]'],
    ['SEKRIT=', '[redacted]'],
    [`${'SEKRIT'.repeat(7)}=1`, '[redacted]'],
    ['SEKRIT%20name=1&page=2', '[redacted]&page=[redacted]'],
  ];
  for (const [query] of queries) await fetch(`${url}/healthz?${query ?? ''}`);
  await settle();
  const logged = lines()
    .filter((line) => line.req !== undefined)
    .map((line) => (line.req as { url: string }).url);
  assert.deepEqual(
    logged,
    queries.map(([, shown]) => `/healthz?${shown ?? ''}`),
  );
  assert.ok(!JSON.stringify(lines()).includes('SEKRIT'));
  assert.ok(!JSON.stringify(lines()).includes('U0VLUklU'));
});

test('a huge URL makes a bounded log line: a flood of tiny parameters cannot fill the disk', async (t) => {
  const { logger, lines } = captureLogs();
  const { url } = await startApp(t, {}, { logger });
  const query = Array.from({ length: 2000 }, () => 'a').join('&');
  await fetch(`${url}/healthz?${query}`);
  await fetch(`${url}/${'x'.repeat(5000)}`);
  await settle();
  const [flood, longPath] = lines()
    .filter((line) => line.req !== undefined)
    .map((line) => (line.req as { url: string }).url);
  assert.equal(flood, `/healthz?${Array.from({ length: 10 }, () => '[redacted]').join('&')}&…1990 more`);
  assert.ok((longPath?.length ?? Infinity) < 300, `${String(longPath?.length)} characters`);
});

test('a 503 the server chose (hashing busy) is logged as a warning without an error: nothing broke', async (t) => {
  const { logger, lines } = captureLogs();
  // The real hashing settings, one at a time, one waiting: a burst of six gets some 503s.
  const { url } = await startApp(t, {}, { logger, passwords: createPasswordHasher(1) });
  const burst = await Promise.all(
    Array.from({ length: 6 }, (_, i) => postJson(`${url}/api/v1/users`, { email: `burst${String(i)}@example.com`, password: PASSWORD })),
  );
  const busy = burst.filter((res) => res.status === 503).length;
  assert.ok(busy > 0, burst.map((res) => res.status).join(','));
  await settle();
  const refused = lines().filter((line) => (line.res as { statusCode?: number } | undefined)?.statusCode === 503);
  assert.equal(refused.length, busy);
  for (const line of refused) {
    assert.equal(line.level, 40, 'warn');
    assert.equal(line.err, undefined);
  }
});
