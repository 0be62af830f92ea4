import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import { createApp, type AppDependencies } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createHttpServer } from '../src/http/http-server.ts';
import { createLogger } from '../src/log.ts';

/**
 * The configuration of a test: NODE_ENV=test, no logs and limits high enough not to get in the way,
 * overridden by the given variables; never the real environment. Rate-limit tests set their own.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_GLOBAL: '1000/1m',
    RATE_LIMIT_AUTH: '1000/1m',
    ...env,
  });
}

export interface TestServer {
  /** Base URL such as http://127.0.0.1:54321 */
  readonly url: string;
}

/**
 * Starts the real app on an ephemeral port on loopback and stops it when the test ends. Tests talk to
 * it over real HTTP with fetch, the way clients will.
 */
export async function startApp(
  t: TestContext,
  env: Record<string, string> = {},
  dependencies: AppDependencies = {},
): Promise<TestServer> {
  const server = createHttpServer(createApp(testConfig(env), dependencies));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}` };
}

/** A logger whose JSON lines are collected in memory, for tests that read the log. */
export function captureLogs(level = 'info'): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ logLevel: level as 'info' }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
