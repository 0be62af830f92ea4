#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ can keep the compiled bundle on disk between runs (in the OS temp folder); older Node
// versions simply compile it each time.
module.enableCompileCache?.();

const { main } = await import('../dist/cli.js');
process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
