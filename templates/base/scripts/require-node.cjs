// Preloaded by the npm scripts that run the project on Node (`node -r ./scripts/require-node.cjs ...`):
// on an older Node they would fail with a stack trace about file extensions or globs, so this says in
// one line which Node is needed and how to get it. CommonJS and nothing newer than Node 6, so that any
// Node can run it; the oldest release accepted is read from package.json's engines, its one home.
'use strict';

const { readFileSync } = require('fs');
const process = require('process');

// npm runs scripts in the project's folder.
const engines = JSON.parse(readFileSync('package.json', 'utf8')).engines;
const floor = /^>=(\d+)\.(\d+)/.exec(engines.node).slice(1).map(Number);
const running = process.versions.node.split('.').map(Number);

if (running[0] < floor[0] || (running[0] === floor[0] && running[1] < floor[1])) {
  process.stderr.write(
    `This project needs Node ${floor.join('.')} or later; this is Node ${process.versions.node}. ` +
      `Switch with \`nvm use\`, \`fnm use\` (reads .nvmrc too), \`volta install node@${floor[0]}\`, ` +
      'or the installer from https://nodejs.org/en/download\n',
  );
  process.exit(1);
}
