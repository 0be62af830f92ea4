// Bundles the CLI and its runtime libraries into dist/, as create-vite does, so that `npm create`
// downloads one package. Code only needed on a terminal (prompts) or after writing (git, install) is
// split into chunks that load on demand.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

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
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`built dist/ (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
