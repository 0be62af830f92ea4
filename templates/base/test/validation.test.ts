import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import express from 'express';
import { z } from 'zod';
import { defaults } from '../src/config.ts';
import { MAX_ECHOED_NAME, MAX_LISTED_ERRORS, validate } from '../src/http/validate.ts';
import { newUser, postJson, rawExchange, sameOrigin, startApp, type SignedIn } from './helpers.ts';

interface Problem {
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

async function problemOf(res: Response): Promise<Problem> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  return (await res.json()) as Problem;
}

test('unknown fields are refused, not ignored', async (t) => {
  const { url } = await startApp(t);
  const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: 'long enough pass', role: 'admin' });
  assert.equal(res.status, 400);
  const problem = await problemOf(res);
  assert.deepEqual(problem.errors, [{ path: 'body.role', message: 'Unknown field' }]);
});

test('a flood of errors is listed up to a cap, with the total in detail', async (t) => {
  const { url, admin } = await asAdmin(t);
  const unknown = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field${i}`, 1]));
  const body = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: 'long enough pass', ...unknown });
  const query = await fetch(`${url}/api/v1/users?${Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&')}`, { headers: admin.headers });
  for (const [res, total] of [[body, 5000], [query, 300]] as const) {
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.ok(text.length < 2048, `${text.length} bytes`);
    const problem = JSON.parse(text) as Problem;
    assert.equal(problem.errors?.length, MAX_LISTED_ERRORS);
    assert.equal(problem.detail, `The request is not valid: ${total} errors, the first ${MAX_LISTED_ERRORS} listed.`);
  }
});

test('types are exact and lengths bounded', async (t) => {
  const { url } = await startApp(t);
  const cases: [unknown, string][] = [
    [{ email: 'a@example.com', password: 123456789012345 }, 'body.password'],
    [{ email: 'a@example.com', password: 'short' }, 'body.password'],
    [{ email: 'a@example.com', password: 'p'.repeat(129) }, 'body.password'],
    [{ email: ['a@example.com'], password: 'long enough pass' }, 'body.email'],
    [{ email: 'not an email', password: 'long enough pass' }, 'body.email'],
    [{ email: `${'a'.repeat(250)}@example.com`, password: 'long enough pass' }, 'body.email'],
    // Half of a character (a lone surrogate): addresses are ASCII; names are tested in test/text.test.ts.
    [{ email: 'a\ud800@example.com', password: 'long enough pass' }, 'body.email'],
    [{ email: 'a@example.com', password: 'long enough pass', name: 'n'.repeat(101) }, 'body.name'],
    [['a@example.com', 'long enough pass'], 'body'],
  ];
  for (const [body, path] of cases) {
    const res = await postJson(`${url}/api/v1/users`, body);
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
    assert.deepEqual(
      (await problemOf(res)).errors?.map((error) => error.path),
      [path],
    );
  }
});

test('a 400 echoes names cut short: a 99 KB unknown key comes back as 64 characters and an ellipsis', async (t) => {
  const { url } = await startApp(t);
  const key = 'k'.repeat(99 * 1024);
  const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: 'long enough pass', [key]: 1 });
  assert.equal(res.status, 400);
  const text = await res.text();
  assert.ok(text.length < 1_000, `${String(text.length)} characters`);
  assert.deepEqual((JSON.parse(text) as Problem).errors, [{ path: `body.${'k'.repeat(MAX_ECHOED_NAME)}…`, message: 'Unknown field' }]);

});

/** The user list takes query parameters and is for admins: its validation is reached as one. */
async function asAdmin(t: TestContext): Promise<{ url: string; admin: SignedIn }> {
  const server = await startApp(t);
  return { url: server.url, admin: await newUser(server, 'admin@example.com', 'admin') };
}

test('a repeated query parameter is refused (HTTP parameter pollution)', async (t) => {
  const { url, admin } = await asAdmin(t);
  const res = await fetch(`${url}/api/v1/users?limit=1&limit=2`, { headers: admin.headers });
  assert.equal(res.status, 400);
  assert.deepEqual((await problemOf(res)).errors, [{ path: 'query.limit', message: 'Repeated parameter' }]);
});

test('a long repeated or unknown query parameter name is echoed cut short', async (t) => {
  const { url, admin } = await asAdmin(t);
  const name = 'q'.repeat(4000);
  for (const query of [`${name}=1&${name}=2`, `${name}=1`]) {
    const res = await fetch(`${url}/api/v1/users?${query}`, { headers: admin.headers });
    assert.equal(res.status, 400);
    assert.equal((await problemOf(res)).errors?.[0]?.path, `query.${'q'.repeat(MAX_ECHOED_NAME)}…`);
  }
});

test('nested query syntax stays a literal, unknown parameter', async (t) => {
  const { url, admin } = await asAdmin(t);
  for (const query of ['limit[gt]=1', 'a[b]=1', 'limit[]=1']) {
    const res = await fetch(`${url}/api/v1/users?${query}`, { headers: admin.headers });
    assert.equal(res.status, 400, query);
    assert.equal((await problemOf(res)).errors?.[0]?.message, 'Unknown parameter', query);
  }
});

test('query values are checked: limit must be 1..100', async (t) => {
  const { url, admin } = await asAdmin(t);
  for (const limit of ['0', '101', '1e2', '-1', ' 5', 'abc']) {
    assert.equal((await fetch(`${url}/api/v1/users?limit=${encodeURIComponent(limit)}`, { headers: admin.headers })).status, 400, limit);
  }
  assert.equal((await fetch(`${url}/api/v1/users?limit=100`, { headers: admin.headers })).status, 200);
});

test('route parameters are validated: a malformed id is a 400', async (t) => {
  const { url, admin } = await asAdmin(t);
  const res = await fetch(`${url}/api/v1/users/not-a-uuid`, { headers: admin.headers });
  assert.equal(res.status, 400);
  assert.equal((await problemOf(res)).errors?.[0]?.path, 'params.id');
});

test('bodies must be JSON: anything else is a 415', async (t) => {
  const { url } = await startApp(t);
  const bodies: [string, string][] = [
    ['text/plain', '{"email":"a@example.com"}'],
    ['application/x-www-form-urlencoded', 'email=a%40example.com&password=x'],
    ['multipart/form-data; boundary=x', '--x--'],
  ];
  for (const [type, body] of bodies) {
    const res = await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'content-type': type, ...sameOrigin }, body });
    assert.equal(res.status, 415, type);
    assert.equal((await problemOf(res)).status, 415);
  }
  const compressed = await fetch(`${url}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...sameOrigin },
    body: 'not really gzip',
  });
  assert.equal(compressed.status, 415);
  // UTF-8 only (RFC 8259): a proxy or firewall that reads bodies as UTF-8 would not see what UTF-16 hides.
  for (const charset of ['utf-16le', 'utf-16']) {
    const utf16 = await fetch(`${url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': `application/json; charset=${charset}`, ...sameOrigin },
      body: Buffer.from(JSON.stringify({ email: 'a@example.com', password: 'x' }), 'utf16le'),
    });
    assert.equal(utf16.status, 415, charset);
    assert.match(String((await problemOf(utf16)).detail), /UTF-8/);
  }
});

/** The configured body limit (`100kb`) in bytes. */
const LIMIT_BYTES = Number.parseInt(defaults.bodyLimit, 10) * (/mb$/i.test(defaults.bodyLimit) ? 1024 * 1024 : /kb$/i.test(defaults.bodyLimit) ? 1024 : 1);

test('a body over the configured limit is a 413', async (t) => {
  const { url } = await startApp(t);
  const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: 'x'.repeat(LIMIT_BYTES) });
  assert.equal(res.status, 413);
  assert.equal((await problemOf(res)).status, 413);
});

async function listen(t: TestContext, app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('handlers get the parsed values, frozen, and only what the schemas name', async (t) => {
  const app = express();
  app.use(express.json());
  app.post(
    '/items/:id',
    validate({
      params: z.strictObject({ id: z.string().regex(/^\d+$/).transform(Number) }),
      query: z.strictObject({ dryRun: z.enum(['true', 'false']).optional() }),
      body: z.strictObject({ tags: z.array(z.string()).max(3) }),
    }),
    (req, res) => {
      res.json({
        id: req.params.id,
        idType: typeof req.params.id,
        query: req.query,
        frozen: [Object.isFrozen(req.params), Object.isFrozen(req.query), Object.isFrozen(req.body), Object.isFrozen(req.body.tags)],
      });
    },
  );
  const url = await listen(t, app);
  const res = await postJson(`${url}/items/42?dryRun=true`, { tags: ['a'] });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { id: 42, idType: 'number', query: { dryRun: 'true' }, frozen: [true, true, true, true] });
});

test('a body declared larger than the limit is a 413 at once, and the connection closes instead of reading it', async (t) => {
  const { url } = await startApp(t);
  const request = ['POST /api/v1/users HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 99999999999', ...Object.entries(sameOrigin).map(([name, value]) => `${name}: ${value}`), '', '{"email":'];
  const { received, closed, ms } = await rawExchange(url, request.join('\r\n'));
  assert.match(received, /^HTTP\/1\.1 413 /);
  assert.match(received, /\r\nConnection: close\r\n/i);
  assert.ok(closed, `not closed after ${String(Math.round(ms))} ms`);
});

test('a chunked body (no declared length) is a 413 as soon as it passes the limit, and the connection closes instead of reading the rest', async (t) => {
  const { url } = await startApp(t);
  // One chunk just past the limit, then nothing: a client that would go on sending for as long as the
  // server reads, which (the rest dropped unread) would be until the request timeout.
  const head = ['POST /api/v1/users HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: chunked', ...Object.entries(sameOrigin).map(([name, value]) => `${name}: ${value}`), '', ''];
  const chunk = ' '.repeat(LIMIT_BYTES + 1);
  const { received, closed, ms } = await rawExchange(url, `${head.join('\r\n')}${chunk.length.toString(16)}\r\n${chunk}\r\n`);
  assert.match(received, /^HTTP\/1\.1 413 /);
  assert.match(received, /\r\nConnection: close\r\n/i);
  assert.ok(closed, `not closed after ${String(Math.round(ms))} ms`);
});
