// The test command. Tests exercise what users get: the CLI is built, packed with `npm pack` and installed
// from that tarball into a scratch prefix; the CLI then runs on this machine's Node.js (the oldest we
// support), while the test runner and generated projects run on a real Node 24 (or 22) from the npm
// cache folder that scripts/node-bin.sh fills.
//   node scripts/test.mjs [--only unit|cli|e2e] [test/<suite>/<file>.test.ts ...] [extra node --test args]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cache = join(root, '.cache');
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options }).trim();
const nodeBin = (major) => run('bash', ['scripts/node-bin.sh', String(major)]);

const argv = process.argv.slice(2);
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? argv.splice(onlyIndex, 2)[1] : undefined;
// Test files named on the command line run alone (their suites decide which Node versions to fetch).
const named = argv.filter((arg) => arg.endsWith('.test.ts'));
const options = argv.filter((arg) => !arg.endsWith('.test.ts'));
const suites = only ? [only] : named.length > 0 ? [...new Set(named.map((file) => file.split('/')[1]))] : ['unit', 'cli', 'e2e'];

rmSync(join(cache, 'pack'), { recursive: true, force: true });
mkdirSync(join(cache, 'pack'), { recursive: true });
// `npm pack` runs the build (prepack), exactly as a publish would.
const tarball = join(cache, 'pack', run('npm', ['pack', '--silent', '--pack-destination', join(cache, 'pack')]).split('\n').pop());
const prefix = join(cache, 'pack', 'installed');
run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', tarball]);
const bin = join(prefix, 'node_modules', 'create-secure-express', 'bin', 'create-secure-express.js');

const node24 = nodeBin(24);
const env = {
  ...process.env,
  CSE_TARBALL: tarball,
  CSE_BIN: bin,
  CSE_CLI_NODE: process.execPath,
  CSE_NODE24_BIN: node24,
  CSE_NODE22_BIN: suites.includes('e2e') ? nodeBin(22) : '',
};
const files = named.length > 0
  ? named
  : suites.flatMap((suite) =>
      readdirSync(join(root, 'test', suite)).filter((name) => name.endsWith('.test.ts')).map((name) => join('test', suite, name)),
    );
// The spec reporter for people and CI; the durations reporter writes where the time went to a file that
// .ci/run prints after the run.
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./scripts/durations-reporter.mjs', `--test-reporter-destination=${join(cache, 'test-durations.txt')}`];
const result = spawnSync(join(node24, 'node'), ['--test', '--test-concurrency=2', ...reporters, ...options, ...files], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
