#!/usr/bin/env node
// Node 22.1+ can keep the compiled bundle on disk between runs (in the OS temp folder); older Node
// versions simply compile it each time. (getBuiltinModule rather than `import`, as in the bundle: an
// ES import of a built-in builds a facade of all its exports, see scripts/build.mjs.)
process.getBuiltinModule('node:module').enableCompileCache?.();

const { main } = await import('../dist/main.js');
process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  // Read on demand: making process.stdin takes a millisecond or more, and only prompts need it.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
});
