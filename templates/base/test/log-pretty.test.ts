import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { createLogger, wantsPrettyLogs } from '../src/log.ts';
import { formatEntry, prettyDestination } from '../src/log-pretty.ts';
import { startApp } from './helpers.ts';

test('readable lines only in development on a terminal; JSON in production and into pipes and files', () => {
  const cases: [Parameters<typeof wantsPrettyLogs>[0], boolean, boolean][] = [
    ['development', true, true],
    ['development', false, false],
    ['production', true, false],
    ['test', true, false],
    [undefined, true, false],
  ];
  for (const [env, isTTY, pretty] of cases) assert.equal(wantsPrettyLogs(env, { isTTY }), pretty, `${String(env)}, tty ${isTTY}`);
});

test('in development on a terminal, one coloured line per request', async (t) => {
  const written: string[] = [];
  const terminal = { write: (text: string) => written.push(text), hasColors: () => true };
  const logger = createLogger({ logLevel: 'info', env: 'development' }, prettyDestination(terminal));
  const { url } = await startApp(t, { TRUST_PROXY: '1', TRUST_REQUEST_ID: 'true' }, { logger });
  await fetch(`${url}/nope?token=SEKRIT`, { headers: { 'x-request-id': 'req-pretty', 'x-forwarded-for': '127.0.0.1' } });
  await new Promise((resolve) => setImmediate(resolve));

  assert.equal(written.length, 1);
  const [line = ''] = written;
  assert.equal(line.split('\n').length, 2, 'one line');
  assert.notEqual(stripVTControlCharacters(line), line, 'coloured');
  assert.match(stripVTControlCharacters(line), /^\d\d:\d\d:\d\d INFO {2}GET \/nope\?token=\[redacted\] 404 [\d.]+ ms 127\.0\.0\.1 req-pretty\n$/);
});

test('other lines show their message and fields, errors their stack; no colours where the terminal has none', () => {
  const line = formatEntry({ level: 40, time: 0, msg: 'listening', port: 3000, host: '127.0.0.1' }, false);
  assert.match(line, /^\d\d:\d\d:\d\d WARN {2}listening port=3000 host=127\.0\.0\.1\n$/);
  const failed = formatEntry({ level: 50, time: 0, msg: 'boom', err: { message: 'boom', stack: 'Error: boom\n    at here' } }, false);
  assert.match(failed, /ERROR boom\n {4}Error: boom\n {8}at here\n$/);
});
