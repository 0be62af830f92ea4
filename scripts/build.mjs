// Bundles the CLI and its runtime libraries into dist/, as create-vite does, so that `npm create`
// downloads one package. Code only needed on a terminal (prompts) or after writing (git, install) is
// split into chunks that load on demand.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import handlebars from 'handlebars';

/**
 * A template's precompiled specification with each of its functions in parentheses. V8 compiles a
 * parenthesized function with the module rather than on its first call, so its bytecode is in the code
 * cache Node's compile cache stores after compiling a module (before running it): with the cache,
 * rendering the templates compiles nothing. Function.prototype.toString gives back each function's
 * source text exactly as Handlebars wrote it.
 */
function eagerSpec(source) {
  const spec = new Function(`return ${handlebars.precompile(source)}`)();
  const entries = Object.entries(spec).map(([key, value]) => `${JSON.stringify(key)}: ${typeof value === 'function' ? `(${value})` : JSON.stringify(value)}`);
  return `{ ${entries.join(', ')} }`;
}

/**
 * The built-in `.hbs` templates, precompiled by Handlebars at build time: parsing and compiling them
 * is most of the rendering time of a run. Each entry keeps its source, so a template edited after the
 * build is compiled at run time instead (see src/render/render.ts); comparing the text needs no hash,
 * and so no node:crypto, which takes a few milliseconds to load.
 */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(builder) {
    builder.onResolve({ filter: /^virtual:precompiled-templates$/ }, (args) => ({ path: args.path, namespace: 'precompiled' }));
    builder.onLoad({ filter: /.*/, namespace: 'precompiled' }, async () => {
      const root = fileURLToPath(new URL('../templates/', import.meta.url));
      const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.hbs')).sort();
      const entries = await Promise.all(
        files.map(async (file) => {
          const source = await readFile(join(root, file), 'utf8');
          return `${JSON.stringify(file.split(sep).join('/'))}: { source: ${JSON.stringify(source)}, spec: ${eagerSpec(source)} }`;
        }),
      );
      return { contents: `export default {\n${entries.join(',\n')}\n};\n`, loader: 'js', watchFiles: files.map((file) => join(root, file)) };
    });
  },
};

/**
 * Swaps libraries for stand-ins (see scripts/shims/): node-plop's inquirer and the editor prompt's
 * encodings, which the generator never uses; Handlebars with its compiler loaded on first use; and
 * what node-plop loads at start-up for functions a run of the built-in generator does not call,
 * loaded on first call instead.
 */
const shims = {
  name: 'shims',
  setup(builder) {
    const shim = (file) => ({ path: fileURLToPath(new URL(`shims/${file}`, import.meta.url)) });
    const fromPlop = (args) => /[\\/]node-plop[\\/]/.test(args.importer);
    builder.onResolve({ filter: /^inquirer$/ }, (args) => (fromPlop(args) ? shim('plop-inquirer.js') : undefined));
    builder.onResolve({ filter: /^@inquirer\/external-editor$/ }, () => shim('external-editor.js'));
    builder.onResolve({ filter: /^handlebars$/ }, () => shim('handlebars.cjs'));
    builder.onResolve({ filter: /^(tinyglobby|isbinaryfile|resolve|title-case|node:fs\/promises)$/ }, (args) => (fromPlop(args) ? shim('plop-deps.js') : undefined));
    builder.onResolve({ filter: /fs-promise-proxy\.js$/ }, (args) => (fromPlop(args) ? shim('plop-fs-promise-proxy.js') : undefined));
  },
};

/**
 * Node's built-in modules without an ES module facade. `import { parseArgs } from 'node:util'` left to
 * Node builds a facade that reads every export of the module, and esbuild's CommonJS interop copies
 * every property descriptor: either way Node loads code behind lazy exports the run never uses (its
 * streams, text decoders, diff), a few milliseconds at each start. Here a built-in is imported through
 * a small ES module that takes it with process.getBuiltinModule and exports each name as a pure call,
 * so the bundle keeps only the names it imports and reads them when its chunk loads. Each importing
 * file gets its own copy, so no chunk is made for a shared one.
 */
const builtinsWithoutFacade = {
  name: 'builtins-without-facade',
  setup(builder) {
    const root = fileURLToPath(new URL('..', import.meta.url));
    builder.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
      // Keyed by the importing file's path, not by the order esbuild resolves in, so builds are reproducible.
      return { path: `${args.path}?${relative(root, args.importer).split(sep).join('/')}`, namespace: 'builtin' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const id = args.path.split('?')[0];
      const names = Object.keys(process.getBuiltinModule(id)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
      // Local names no built-in exports (node:http exports `get`).
      const contents = [
        `const builtin__ = process.getBuiltinModule(${JSON.stringify(id)});`,
        'const export__ = (name) => builtin__[name];',
        'export default builtin__;',
        ...names.map((name) => `export const ${name} = /* @__PURE__ */ export__(${JSON.stringify(name)});`),
      ];
      return { contents: contents.join('\n'), loader: 'js' };
    });
  },
};

/** One `import` statement of a chunk, as esbuild writes them: `import{a as b,c}from"./x.js"` or `import"./x.js"`. */
const IMPORT_STATEMENT = /import(?:\{([^}]*)\}from)?"\.\/([^"]+)"/g;

/**
 * esbuild makes a chunk for each set of entry points (dynamic imports count) that share code, so main.js
 * imported seven small chunks it shares with `update`, `check`, the team template and the prompts, and
 * Node's ES module loader costs about 0.67 ms of CPU per module. Here main.js and every chunk it imports
 * statically become one file again, which also exports each folded chunk's names (as chunk_name); the
 * chunks loaded later import those from main.js, the module every run has already evaluated, so each
 * module still exists once.
 */
async function foldStaticChunks(outputs, options) {
  const folded = new Set();
  const visit = (file) => {
    for (const { path, kind } of outputs[file].imports) {
      if (kind === 'import-statement' && !folded.has(path)) folded.add(path), visit(path);
    }
  };
  visit('dist/main.js');
  const name = (chunk) => basename(chunk, '.js').replace(/\W/g, '_');
  const local = (chunk) => `./${basename(chunk)}`;
  const facade = [
    `export * from "./main.js";`,
    ...[...folded].map((chunk) => `export { ${outputs[chunk].exports.map((ex) => `${ex} as ${name(chunk)}_${ex}`).join(', ')} } from ${JSON.stringify(local(chunk))};`),
  ];
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  const { outputFiles } = await build({
    ...options,
    stdin: { contents: facade.join('\n'), resolveDir: dist, sourcefile: 'main-folded.js' },
    write: false,
    outfile: join(dist, 'main.js'),
    // Only the chunks loaded later stay files of their own.
    plugins: [{ name: 'later-chunks', setup: (b) => b.onResolve({ filter: /^\.\// }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined)) }],
  });
  await writeFile(join(dist, 'main.js'), outputFiles[0].contents);
  for (const file of Object.keys(outputs).filter((file) => file.endsWith('.js') && file !== 'dist/main.js' && !folded.has(file))) {
    const path = join(dist, basename(file));
    const code = (await readFile(path, 'utf8')).replace(IMPORT_STATEMENT, (statement, names, target) => {
      const chunk = `dist/${target}`;
      if (!folded.has(chunk)) return statement;
      if (names === undefined) return 'import"./main.js"';
      const renamed = names.split(',').map((spec) => {
        const [imported, as = imported] = spec.split(' as ');
        return `${name(chunk)}_${imported} as ${as}`;
      });
      return `import{${renamed.join(',')}}from"./main.js"`;
    });
    await writeFile(path, code);
  }
  for (const chunk of folded) await rm(join(dist, basename(chunk)));
}

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
const bundleOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};
const result = await build({
  ...bundleOptions,
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  splitting: true,
  // Chunks sit beside main.js, one level below the package root, like src/: package-info.ts relies on it.
  chunkNames: '[name]-[hash]',
  // Bundled CommonJS libraries (handlebars, fs-extra) call require() for Node's built-ins, and the Handlebars
  // shim reads require.extensions, all through esbuild's __require in one chunk. Every chunk gets the banner,
  // so it stands in for the real require and makes it on first use only (createRequire costs about 0.1 ms).
  banner: {
    js: "let require__; const require = new Proxy(function () {}, { apply: (_, self, args) => (require__ ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(...args), get: (_, name) => (require__ ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))[name] });",
  },
  metafile: true,
  plugins: [shims, precompiledTemplates, builtinsWithoutFacade],
});
await foldStaticChunks(result.metafile.outputs, bundleOptions);

// The team template manifest's JSON Schema is built from the option registry; publish it as a file.
const schemaModule = await build({ entryPoints: ['src/team/manifest-schema.ts'], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
const { manifestSchema } = await import(`data:text/javascript;base64,${Buffer.from(schemaModule.outputFiles[0].text).toString('base64')}`);
await mkdir(new URL('../schema', import.meta.url), { recursive: true });
await writeFile(new URL('../schema/template-manifest.schema.json', import.meta.url), `${JSON.stringify(manifestSchema, null, 2)}\n`);

// The bundle carries other people's code: ship their licence texts with it.
const packages = new Set(
  Object.keys(result.metafile.inputs)
    .filter((input) => !input.startsWith('builtin:'))
    .map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
    .filter(Boolean),
);
const notices = [];
for (const dir of [...packages].sort()) {
  const { name, version, license } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const file = (await readdir(dir)).find((entry) => /^(licen[cs]e|copying)(\.|$)/i.test(entry));
  const text = file ? await readFile(join(dir, file), 'utf8') : `${license} (no licence file in the package)`;
  notices.push(`${name}@${version} (${license})\n\n${text.trim()}\n`);
}
await writeFile(new URL('../dist/THIRD_PARTY_LICENSES.txt', import.meta.url), `${notices.join(`\n${'-'.repeat(72)}\n\n`)}`);

const built = (await readdir(new URL('../dist', import.meta.url))).filter((file) => file.endsWith('.js'));
const bytes = (await Promise.all(built.map(async (file) => (await readFile(new URL(`../dist/${file}`, import.meta.url))).length))).reduce((sum, size) => sum + size, 0);
console.log(`built dist/ (${built.length} modules, ${(bytes / 1024).toFixed(0)} KiB)`);
