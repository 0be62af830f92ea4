import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { rawExchange, startApp } from './helpers.ts';

/**
 * A GET over a connection of its own with `host` as the Host header, written byte for byte (HTTP clients
 * write the URL's own, or none for an empty value): its status, content type and body.
 */
async function getWithHost(url: string, path: string, host: string): Promise<{ status: number; type: string; body: string }> {
  const { received } = await rawExchange(url, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nSec-Fetch-Site: same-origin\r\nConnection: close\r\n\r\n`);
  const [head = '', body = ''] = received.split('\r\n\r\n', 2);
  return {
    status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]),
    type: /^content-type: (.*)$/im.exec(head)?.[1] ?? '',
    body,
  };
}

// What each Host header gets from GET /api/v1/users/me, outside production (localhost, 127.0.0.1 and
// [::1] on any port): 401 means it reached the route, which asks for a session.
const HOSTS: readonly [host: string, status: number][] = [
  ['localhost', 401],
  ['localhost:3000', 401],
  ['LocalHost:8080', 401],
  ['localhost.:3000', 401],
  ['127.0.0.1', 401],
  ['127.0.0.1:54321', 401],
  ['[::1]', 401],
  ['[::1]:3000', 401],
  ['[0:0:0:0:0:0:0:1]:3000', 401],
  // A rebound name: the page's own, which the attacker pointed at 127.0.0.1.
  ['attacker.example', 421],
  ['attacker.example:3000', 421],
  ['localhost.attacker.example', 421],
  ['127.0.0.1.nip.io', 421],
  ['[::2]:3000', 421],
  ['192.168.1.10:3000', 421],
  // Not a host at all.
  ['', 400],
  ['user@localhost', 400],
  ['localhost:3000:3000', 400],
  ['localhost/path', 400],
  ['[::1', 400],
  ['[fe80::1%25eth0]:3000', 400],
];

test('outside production only localhost, 127.0.0.1 and [::1] (any port) reach a route; a rebound name is a 421 problem, a malformed Host a 400', async (t) => {
  const { url } = await startApp(t);
  for (const [host, status] of HOSTS) {
    const res = await getWithHost(url, '/api/v1/users/me', host);
    assert.equal(res.status, status, JSON.stringify(host));
    if (status !== 401) {
      assert.match(res.type, /^application\/problem\+json/);
      assert.equal((JSON.parse(res.body) as { status: number }).status, status);
    }
  }
});

test('a request for another host name runs no route: a sign-up sent to a rebound name creates no account', async (t) => {
  const server = await startApp(t);
  const { hostname, port } = new URL(server.url);
  const body = JSON.stringify({ email: 'victim@example.com', password: 'correct horse battery staple' });
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      { hostname, port, method: 'POST', path: '/api/v1/users', headers: { host: `attacker.example:${port}`, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject).end(body);
  });
  assert.equal(status, 421);
  const users = await server.database.db.selectFrom('users').select('id').execute();
  assert.deepEqual(users, []);
});

test('without a Host header (HTTP/1.0) a route is a 400; the health checks answer any Host, as load balancers probe by IP address', async (t) => {
  const { url } = await startApp(t);
  const withoutHost = await rawExchange(url, 'GET /api/v1/users/me HTTP/1.0\r\n\r\n');
  assert.match(withoutHost.received, /^HTTP\/1\.1 400 /);
  assert.match(withoutHost.received, /"detail":"The request names no host: send a Host header\."/);
  // HTTP/1.1 requires the header: Node answers its absence itself.
  assert.match((await rawExchange(url, 'GET /api/v1/users/me HTTP/1.1\r\nConnection: close\r\n\r\n')).received, /^HTTP\/1\.1 400 /);
  const healthWithoutHost = await rawExchange(url, 'GET /healthz HTTP/1.0\r\n\r\n');
  assert.match(healthWithoutHost.received, /^HTTP\/1\.1 200 /);
  for (const path of ['/healthz', '/readyz']) {
    assert.equal((await getWithHost(url, path, '10.0.3.7:3000')).status, 200, path);
  }
});

test('in production only the names of ALLOWED_HOSTS are answered', async (t) => {
  const { url } = await startApp(t, { NODE_ENV: 'production', ALLOWED_HOSTS: 'api.example.com,[2001:db8::1]' });
  for (const [host, status] of [
    ['api.example.com', 401],
    ['API.example.com:443', 401],
    ['[2001:db8:0::1]:443', 401],
    ['localhost:3000', 421],
    ['127.0.0.1', 421],
    ['example.com', 421],
    ['api.example.com.attacker.example', 421],
  ] as const) {
    assert.equal((await getWithHost(url, '/api/v1/users/me', host)).status, status, host);
  }
});
