#!/usr/bin/env node
// Node 22.1+ can keep the compiled bundle on disk between runs; older Node versions simply compile it
// each time. (getBuiltinModule rather than `import`, as in the bundle: an ES import of a built-in builds
// a facade of all its exports, see scripts/build.mjs.) Node's folder, node-compile-cache in the OS temp
// folder, belongs to the first user who made it, and cannot be written by any other user of the machine:
// for them the cache goes beside the bundle, a folder as private as the code it caches (npx, a local
// install). Where neither can be written (a global install by another user), runs go without.
const nodeModule = process.getBuiltinModule('node:module');
if (nodeModule.enableCompileCache && nodeModule.enableCompileCache().status === nodeModule.constants.compileCacheStatus.FAILED) {
  nodeModule.enableCompileCache(process.getBuiltinModule('node:url').fileURLToPath(new URL('../.compile-cache', import.meta.url)));
}

const { main, standardOutput } = await import('../dist/main.js');
process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  // Read on demand: making process.stdin takes a millisecond or more, and only prompts need it; the same
  // for process.stderr, which a run that succeeds may never write to. Standard output is process.stdout
  // only on a terminal (see src/ui/standard-output.ts).
  get stdin() {
    return process.stdin;
  },
  stdout: standardOutput(),
  get stderr() {
    return process.stderr;
  },
});
