import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaults, loadConfig } from '../src/config.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

function startWith(env: Record<string, string>) {
  return spawnSync(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
}

test('a bad environment variable stops the server with exit 1 and one line naming it', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^Invalid environment variable PORT: expected an integer from 0 to 65535/],
    [{ CORS_ORIGINS: '*' }, /^Invalid environment variable CORS_ORIGINS: .*'\*' is refused/],
    [{ RATE_LIMIT_AUTH: '5 per minute' }, /^Invalid environment variable RATE_LIMIT_AUTH: expected max\/window/],
    [{ TRUST_PROXY: 'true' }, /^Invalid environment variable TRUST_PROXY/],
  ];
  for (const [env, message] of cases) {
    const result = startWith(env);
    assert.equal(result.status, 1, JSON.stringify(env));
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? '', message);
  }
});

test('values are never echoed in the error: they may be secrets', () => {
  assert.throws(
    () => loadConfig({ LOG_LEVEL: 'hunter2-password' }),
    (error: unknown) => error instanceof ConfigError && !error.message.includes('hunter2'),
  );
});

test('origins must be exact: scheme://host[:port], nothing more', () => {
  for (const bad of ['null', 'app.example.com', 'https://app.example.com/', 'https://*.example.com', 'ftp://x.test', 'https://a.test,*']) {
    assert.throws(() => loadConfig({ CORS_ORIGINS: bad }), ConfigError, bad);
  }
  assert.deepEqual(loadConfig({ CORS_ORIGINS: 'https://a.test, http://localhost:5173' }).cors.origins, [
    'https://a.test',
    'http://localhost:5173',
  ]);
});

test('rate limits parse as max/window and the environment overrides the generated defaults', () => {
  const config = loadConfig({ RATE_LIMIT_GLOBAL: '7/30s', RATE_LIMIT_AUTH: '2/1h' });
  assert.deepEqual(config.rateLimit, { global: { max: 7, windowMs: 30_000 }, auth: { max: 2, windowMs: 3_600_000 } });
  const generated = loadConfig({});
  assert.equal(`${generated.rateLimit.global.max}/`, defaults.rateLimitGlobal.replace(/\/.*/, '/'));
  assert.equal(`${generated.rateLimit.auth.max}/`, defaults.rateLimitAuth.replace(/\/.*/, '/'));
  assert.throws(() => loadConfig({ RATE_LIMIT_GLOBAL: '0/1m' }), ConfigError);
  assert.throws(() => loadConfig({ RATE_LIMIT_GLOBAL: '10/25h' }), ConfigError);
});

test('an unset NODE_ENV means production; empty values mean unset', () => {
  const config = loadConfig({ PORT: '' });
  assert.equal(config.env, 'production');
  assert.equal(config.port, defaults.port);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(loadConfig({ NODE_ENV: 'development' }).host, '127.0.0.1');
});

test('the configuration is frozen', () => {
  const config = loadConfig({});
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.cors.origins) && Object.isFrozen(config.rateLimit));
});
