import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

/**
 * scripts/shims/handlebars.cjs is the Handlebars the bundle gives node-plop: the same instance as
 * handlebars/lib/index.js makes, with the compiler required on first use. It must stay that.
 */
const require = createRequire(import.meta.url);
const isCompilerLoaded = () => Object.keys(require.cache).some((path) => /handlebars[\\/]dist[\\/]cjs[\\/]handlebars[\\/]compiler[\\/]/.test(path));

// Loaded first, in a process of its own (node --test runs each file alone): nothing has loaded the compiler yet.
const shim = require('../../scripts/shims/handlebars.cjs');
const compilerLoadedWithShim = isCompilerLoaded();
const real = require('handlebars');

const shape = (hb: Record<string, unknown>) => Object.keys(hb).map((key) => `${key}:${typeof hb[key]}`);

const TEMPLATE = '{{#if a}}{{shout b}}{{else}}none{{/if}} {{#each list as |item i|}}{{i}}={{item}},{{/each}} {{> part}} {{{raw}}} {{esc}}';
const DATA = { a: true, b: 'Hello', list: ['x', 'y'], raw: '<b>', esc: '<i>' };

describe('Handlebars with a lazily loaded compiler (scripts/shims/handlebars.cjs)', () => {
  it('loads without the compiler', () => {
    assert.equal(compilerLoadedWithShim, false);
  });

  it('has the same properties, in the same order, as handlebars itself', () => {
    assert.deepEqual(shape(shim), shape(real));
    assert.deepEqual(shape(shim.create()), shape(real.create()));
  });

  it('compiles, precompiles, parses and prints as handlebars does', () => {
    for (const hb of [shim, real]) {
      hb.registerHelper('shout', (text: string) => text.toUpperCase());
      hb.registerPartial('part', 'partial {{b}}');
    }
    assert.equal(shim.compile(TEMPLATE)(DATA), real.compile(TEMPLATE)(DATA));
    assert.equal(shim.precompile(TEMPLATE), real.precompile(TEMPLATE));
    assert.deepEqual(shim.parse(TEMPLATE), real.parse(TEMPLATE));
    assert.equal(shim.print(shim.parse(TEMPLATE)), real.print(real.parse(TEMPLATE)));
    assert.equal(shim.create().compile('{{x}}')({ x: '<' }), real.create().compile('{{x}}')({ x: '<' }));
    assert.equal(shim.default, shim);
    assert.equal(typeof shim.Compiler.prototype.compile, 'function');
    assert.equal(typeof shim.Visitor.prototype.accept, 'function');
  });

  it('still lets a property be replaced', () => {
    const hb = shim.create();
    hb.parse = () => 'replaced';
    assert.equal(hb.parse(), 'replaced');
  });
});
