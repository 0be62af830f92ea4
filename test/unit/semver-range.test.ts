import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidRange, satisfies } from '../../src/team/semver-range.ts';

const CASES: readonly [version: string, range: string, expected: boolean][] = [
  ['1.0.0', '>=1.0.0', true], ['0.9.0', '>=1.0.0', false], ['0.1.0', '^0.1.0', true], ['0.2.0', '^0.1.0', false],
  ['1.5.0', '^1.2.0', true], ['2.0.0', '^1.2.0', false], ['0.0.3', '^0.0.2', false], ['1.4.9', '~1.4', true], ['1.5.0', '~1.4', false],
  ['0.1.5', '~0.1.2', true], ['1.9.0', '1.x', true], ['2.0.0', '1.x', false], ['1.0.0', '>=1.0.0 <2', true], ['2.0.1', '>=1.0.0 <2', false],
  ['0.1.0', '*', true], ['3.0.0', '^1 || ^3', true], ['2.5.0', '^1 || ^3', false], ['1.2.0', '>1.1', true], ['1.1.9', '>1.1', false],
  ['1.0.0', '<=1.0', true], ['1.1.0', '<=1.0', false], ['1.2.3', '1.2.3', true], ['1.2.4', '=1.2.3', false], ['1.2.3', '>= 1.2.0', true],
];

describe('semver ranges for a template\'s requires', () => {
  for (const [version, range, expected] of CASES) {
    it(`${version} ${expected ? 'satisfies' : 'does not satisfy'} ${range}`, () => assert.equal(satisfies(version, range), expected));
  }
  for (const range of ['latest', '>=one', '^^1', '1.2.3.4']) {
    it(`${JSON.stringify(range)} is not a range`, () => assert.equal(isValidRange(range), false));
  }
});
