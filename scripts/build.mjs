// Bundles the CLI and its runtime libraries into dist/, as create-vite does, so that `npm create`
// downloads one package. Code only needed on a terminal (prompts) or after writing (git, install) is
// split into chunks that load on demand.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import handlebars from 'handlebars';

/**
 * The built-in `.hbs` templates, precompiled by Handlebars at build time: parsing and compiling them
 * is most of the rendering time of a run. Each entry keeps a digest of its source, so a template
 * edited after the build is compiled at run time instead (see src/render/render.ts).
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
          const digest = createHash('sha256').update(source).digest('hex');
          return `${JSON.stringify(file.split(sep).join('/'))}: { digest: ${JSON.stringify(digest)}, spec: ${handlebars.precompile(source)} }`;
        }),
      );
      return { contents: `export default {\n${entries.join(',\n')}\n};\n`, loader: 'js', watchFiles: files.map((file) => join(root, file)) };
    });
  },
};

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
  legalComments: 'none',
  // Chunks sit beside cli.js, one level below the package root, like src/: package-info.ts relies on it.
  chunkNames: '[name]-[hash]',
  // Bundled CommonJS libraries (handlebars, fs-extra) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __cseRequire } from 'node:module'; const require = __cseRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
  plugins: [shims, precompiledTemplates],
});

// The team template manifest's JSON Schema is built from the option registry; publish it as a file.
const schemaModule = await build({ entryPoints: ['src/team/manifest-schema.ts'], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
const { manifestSchema } = await import(`data:text/javascript;base64,${Buffer.from(schemaModule.outputFiles[0].text).toString('base64')}`);
await mkdir(new URL('../schema', import.meta.url), { recursive: true });
await writeFile(new URL('../schema/template-manifest.schema.json', import.meta.url), `${JSON.stringify(manifestSchema, null, 2)}\n`);

// The bundle carries other people's code: ship their licence texts with it.
const packages = new Set(
  Object.keys(result.metafile.inputs)
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

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`built dist/ (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
