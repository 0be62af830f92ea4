import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidValue } from '../../src/errors.ts';
import {
  parseBodyLimit,
  parseBoolean,
  parseChoice,
  parseInteger,
  parseLimit,
  parseOriginList,
  limitRate,
  parsePackageName,
  toPackageName,
} from '../../src/options/validators.ts';

type Case = readonly [input: unknown, expected: unknown];

/** One table per validator: values it accepts (with what they become) and values it refuses. */
const TABLES: readonly { name: string; parse: (value: unknown) => unknown; good: readonly Case[]; bad: readonly unknown[] }[] = [
  {
    name: 'production origins',
    parse: parseOriginList(true),
    good: [
      ['https://app.example.com', ['https://app.example.com']],
      ['https://App.Example.com/', ['https://app.example.com']],
      ['https://a.example.com:8443,https://b.example.com', ['https://a.example.com:8443', 'https://b.example.com']],
      ['https://a.example.com, https://a.example.com', ['https://a.example.com']],
      ['http://localhost:5173', ['http://localhost:5173']],
      ['http://127.0.0.1:8080', ['http://127.0.0.1:8080']],
      ['', []],
      [['https://x.example.com'], ['https://x.example.com']],
    ],
    bad: ['*', 'https://*.example.com', 'http://app.example.com', 'https://app.example.com/path', 'https://a.example.com?x=1',
      'https://a.example.com#top', 'app.example.com', 'ftp://a.example.com', 'null', 'https://user:pw@a.example.com', 42, [1]],
  },
  {
    name: 'development origins',
    parse: parseOriginList(false),
    good: [['http://dev.example.test:3000', ['http://dev.example.test:3000']], ['http://localhost:3000,http://localhost:5173', ['http://localhost:3000', 'http://localhost:5173']]],
    bad: ['*', 'http://localhost:3000/app', 'localhost:3000'],
  },
  {
    name: 'limits',
    parse: parseLimit,
    good: [['100/15m', '100/15m'], ['1/1s', '1/1s'], ['5000/1h', '5000/1h'], ['10/24h', '10/24h'], ['007/015m', '7/15m']],
    bad: ['0/15m', '100', '100/15', '100/15d', '-1/1m', '100/0m', '10/25h', 'abc', '1.5/1m', ''],
  },
  {
    name: 'proxy hops',
    parse: parseInteger(0, 10),
    good: [['0', 0], ['1', 1], ['10', 10], [2, 2]],
    bad: ['11', '-1', 'true', '1.5', '', 'one', true],
  },
  {
    name: 'port',
    parse: parseInteger(1, 65_535),
    good: [['1', 1], ['3000', 3000], ['65535', 65_535]],
    bad: ['0', '65536', 'http', '3000.0', '-80'],
  },
  {
    name: 'node',
    parse: parseChoice([24, 22] as const),
    good: [['24', 24], ['22', 22], [22, 22]],
    bad: ['20', '23', 'lts', 'v24'],
  },
  {
    name: 'tier',
    parse: parseChoice(['strict', 'standard', 'relaxed'] as const),
    good: [['strict', 'strict'], ['relaxed', 'relaxed']],
    bad: ['STRICT', 'none', ''],
  },
  {
    name: 'body limit',
    parse: parseBodyLimit,
    good: [['100kb', '100kb'], ['1mb', '1mb'], ['1024b', '1024b'], ['5MB', '5mb']],
    bad: ['10mb', '1b', '100', 'kb', '1.5mb', '0kb'],
  },
  {
    name: 'package name',
    parse: parsePackageName,
    good: [['my-api', 'my-api'], ['@acme/orders-api', '@acme/orders-api'], ['api.v2', 'api.v2']],
    bad: ['My-Api', '.hidden', '_private', 'has space', 'http', 'node_modules', 'a'.repeat(215), 'é'],
  },
  {
    name: 'boolean',
    parse: parseBoolean,
    good: [[true, true], [false, false], ['yes', true], ['no', false]],
    bad: ['maybe', 1, null],
  },
];

for (const table of TABLES) {
  describe(`validator: ${table.name}`, () => {
    for (const [input, expected] of table.good) {
      it(`accepts ${JSON.stringify(input)}`, () => assert.deepEqual(table.parse(input), expected));
    }
    for (const input of table.bad) {
      it(`refuses ${JSON.stringify(input)} saying what is accepted`, () => {
        assert.throws(() => table.parse(input), (error: unknown) => {
          assert.ok(error instanceof InvalidValue);
          assert.match(error.message, /expected /);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        });
      });
    }
  });
}

/** What a refusal says, beyond "expected ...": the words that help the person who typed it. */
const MESSAGES: readonly { input: string; parse: (value: unknown) => unknown; says: RegExp; not?: RegExp }[] = [
  { input: 'app.example.com', parse: parseOriginList(true), says: /lacks the scheme \(did you mean https:\/\/app\.example\.com\?\)/ },
  { input: 'localhost:3000', parse: parseOriginList(false), says: /did you mean http:\/\/localhost:3000\?/ },
  { input: '*', parse: parseOriginList(true), says: /wildcards would let any site read responses/ },
  { input: 'https://*.example.com', parse: parseOriginList(true), says: /wildcard, which is not matched: list each origin exactly/, not: /any site/ },
];

describe('refusals that help', () => {
  for (const { input, parse, says, not } of MESSAGES) {
    it(`${JSON.stringify(input)}: ${says.source}`, () => {
      assert.throws(() => parse(input), (error: Error) => {
        assert.match(error.message, says);
        if (not) assert.doesNotMatch(error.message, not);
        return true;
      });
    });
  }
});

describe('limit rates compare limits with different windows', () => {
  for (const [limit, rate] of [['100/15m', 100 / 900], ['5/1s', 5], ['10/1h', 10 / 3600]] as const) {
    it(`${limit} -> ${rate.toFixed(4)}/s`, () => assert.equal(limitRate(limit), rate));
  }
});

describe('default package name from a folder', () => {
  const cases = [
    ['My API', 'my-api'],
    ['orders_service', 'orders_service'],
    ['.tmp', 'tmp'],
    ['!!!', 'my-api'],
    ['http', 'my-api'],
    ['Über API!', 'uber-api'],
    ['Café Crème', 'cafe-creme'],
    ['@acme/orders', '@acme/orders'],
    ['@Acme/Orders API', '@acme/orders-api'],
  ] as const;
  for (const [folder, name] of cases) {
    it(`${JSON.stringify(folder)} -> ${name}`, () => assert.equal(toPackageName(folder), name));
  }
});
