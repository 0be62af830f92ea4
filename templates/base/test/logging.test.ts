import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureLogs, postJson, startApp } from './helpers.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('one JSON log line per request, with its request id, method, URL, client address and status', async (t) => {
  const { logger, lines } = captureLogs();
  // Behind a proxy, whose request ids are kept (see test/request-id.test.ts).
  const { url } = await startApp(t, { TRUST_PROXY: '1' }, { logger });
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
  assert.equal(request.url, '/api/v1/users?access_token=[redacted]&limit=[redacted]&flag=[redacted]');
  assert.ok(!JSON.stringify(lines()).includes('SEKRIT'));
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
  assert.equal(flood, `/healthz?${Array.from({ length: 10 }, () => 'a=[redacted]').join('&')}&…1990 more`);
  assert.ok((longPath?.length ?? Infinity) < 300, `${String(longPath?.length)} characters`);
});
