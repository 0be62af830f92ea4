// Bundles the CLI and its runtime libraries into dist/, as create-vite does, so that `npm create`
// downloads one package. Code only needed on a terminal (prompts) or after writing (git, install) is
// split into chunks that load on demand.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Swaps two libraries the generator never uses at run time for small stand-ins (see scripts/shims/). */
const shims = {
  name: 'shims',
  setup(builder) {
    const shim = (file) => ({ path: fileURLToPath(new URL(`shims/${file}`, import.meta.url)) });
    builder.onResolve({ filter: /^inquirer$/ }, (args) => (/node-plop/.test(args.importer) ? shim('plop-inquirer.js') : undefined));
    builder.onResolve({ filter: /^@inquirer\/external-editor$/ }, () => shim('external-editor.js'));
  },
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS libraries (handlebars, fs-extra) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __cseRequire } from 'node:module'; const require = __cseRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
  plugins: [shims],
});

// The team template manifest's JSON Schema is built from the option registry; publish it as a file.
const schemaModule = await build({ entryPoints: ['src/team/manifest-schema.ts'], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
const { manifestSchema } = await import(`data:text/javascript;base64,${Buffer.from(schemaModule.outputFiles[0].text).toString('base64')}`);
await mkdir(new URL('../schema', import.meta.url), { recursive: true });
await writeFile(new URL('../schema/template-manifest.schema.json', import.meta.url), `${JSON.stringify(manifestSchema, null, 2)}\n`);

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`built dist/ (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
