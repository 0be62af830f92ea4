// Handlebars for the bundle: handlebars/lib/index.js and dist/cjs/handlebars.js rebuilt over the same
// modules, except that the compiler (parser, code generator, source-map) is required when something
// first uses it, not when the bundle loads. The built-in templates are precompiled by the build, so a
// run without a team template renders through the runtime alone; compile(), precompile(), parse(),
// AST, Compiler, JavaScriptCompiler, Parser, Visitor, print and PrintVisitor work as before.
'use strict';

// Modules that end in `module.exports = exports['default']` are their default export.
const runtime = require('handlebars/dist/cjs/handlebars.runtime');
const noConflict = require('handlebars/dist/cjs/handlebars/no-conflict');

const compilerModules = {
  AST: () => require('handlebars/dist/cjs/handlebars/compiler/ast'),
  base: () => require('handlebars/dist/cjs/handlebars/compiler/base'),
  compiler: () => require('handlebars/dist/cjs/handlebars/compiler/compiler'),
  JavaScriptCompiler: () => require('handlebars/dist/cjs/handlebars/compiler/javascript-compiler'),
  Visitor: () => require('handlebars/dist/cjs/handlebars/compiler/visitor'),
  printer: () => require('handlebars/dist/cjs/handlebars/compiler/printer'),
};

/** An enumerable property whose value is looked up on first read; assigning to it works as usual. */
function lazy(target, name, get) {
  const settle = (value) => Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(target, name, {
    get: () => (settle(get()), target[name]),
    set: settle,
    enumerable: true,
    configurable: true,
  });
}

function create() {
  const hb = runtime.create();
  hb.compile = function (input, options) {
    return compilerModules.compiler().compile(input, options, hb);
  };
  hb.precompile = function (input, options) {
    return compilerModules.compiler().precompile(input, options, hb);
  };
  lazy(hb, 'AST', compilerModules.AST);
  lazy(hb, 'Compiler', () => compilerModules.compiler().Compiler);
  lazy(hb, 'JavaScriptCompiler', compilerModules.JavaScriptCompiler);
  lazy(hb, 'Parser', () => compilerModules.base().parser);
  lazy(hb, 'parse', () => compilerModules.base().parse);
  lazy(hb, 'parseWithoutProcessing', () => compilerModules.base().parseWithoutProcessing);
  return hb;
}

const handlebars = create();
handlebars.create = create;
noConflict(handlebars);
lazy(handlebars, 'Visitor', compilerModules.Visitor);
handlebars['default'] = handlebars;
lazy(handlebars, 'PrintVisitor', () => compilerModules.printer().PrintVisitor);
lazy(handlebars, 'print', () => compilerModules.printer().print);

module.exports = handlebars;

// Node.js require() handler for .handlebars and .hbs files, as handlebars/lib/index.js publishes it.
function extension(module, filename) {
  const fs = require('fs');
  const templateString = fs.readFileSync(filename, 'utf8');
  module.exports = handlebars.compile(templateString);
}
if (typeof require !== 'undefined' && require.extensions) {
  require.extensions['.handlebars'] = extension;
  require.extensions['.hbs'] = extension;
}
