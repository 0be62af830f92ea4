import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CHECK_FLAGS } from '../../src/check/args.ts';
import { CHECKS } from '../../src/check/probes/index.ts';

/** The check table stays consistent with the templates it points to and the README that lists it. */
describe('check table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Check a running API'), readme.indexOf('## The code'));

  it('has unique ids', () => assert.equal(new Set(CHECKS.map((check) => check.id)).size, CHECKS.length));

  for (const check of CHECKS) {
    it(`${check.id}: its fix points to a file a generated project has, and the README lists it`, () => {
      const template = new URL(`../../templates/base/${check.fix.file}`, import.meta.url);
      assert.ok(existsSync(template) || existsSync(new URL(`${template.href}.hbs`)), `templates/base/${check.fix.file}(.hbs)`);
      assert.ok(section.includes(`\`${check.id}\``), `README lists ${check.id}`);
    });
  }

  it('the README lists every flag of check', () => {
    for (const { flag } of CHECK_FLAGS.filter(({ flag }) => flag !== 'help')) assert.match(section, new RegExp(`\\| \`--${flag}\\b`), flag);
  });
});
