// Scaffold time: the installed bin from the packed tarball against the floor of starting Node.js at all.
// Runs are interleaved (floor, --version, scaffold, floor, ...) so a noisy moment hurts all three alike,
// and each scaffold writes into a fresh folder.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { log, median, nodeBin, packedGenerator, ratio, row, runAlone, seconds, tempDir, timed } from './lib.mjs';

const RUNS = Number(process.env.BENCH_SCAFFOLD_RUNS || 15);
const TARGET = 2;

function measure(node, bin, label) {
  const parent = tempDir('cse-bench-scaffold-');
  const env = { ...process.env, CI: 'true', npm_config_user_agent: '' };
  const floor = [];
  const version = [];
  const scaffold = [];
  // One untimed round first: the file system cache holds the bundle for every timed run alike.
  timed(node, [bin, '--version'], { env });
  for (let i = 0; i < RUNS; i++) {
    floor.push(timed(node, ['-e', '0'], { env }).seconds);
    version.push(timed(node, [bin, '--version'], { env }).seconds);
    const cwd = mkdtempSync(join(parent, 'run-'));
    scaffold.push(timed(node, [bin, 'my-api', '--yes', '--no-install', '--no-git'], { cwd, env }).seconds);
  }
  const [f, v, s] = [median(floor), median(version), median(scaffold)];
  log(`scaffold on ${label}: floor ${seconds(f)}, --version ${seconds(v)}, scaffold ${seconds(s)}`);
  return [
    row('scaffold', `\`node -e 0\`, ${label} (median of ${RUNS})`, seconds(f)),
    row('scaffold', `\`--version\`, ${label}`, `${seconds(v)} (${ratio(v / f)} floor)`),
    row('scaffold', `\`my-api --yes --no-install --no-git\`, ${label}`, seconds(s)),
    row('scaffold', `scaffold / floor, ${label}`, ratio(s / f), `<= ${ratio(TARGET)}`, s / f <= TARGET),
  ];
}

export async function scaffoldBench() {
  const { bin } = packedGenerator();
  log(`scaffold: ${RUNS} interleaved runs on each Node.js ...`);
  return [
    ...measure(process.execPath, bin, `Node ${process.versions.node} (machine)`),
    ...measure(join(nodeBin(24), 'node'), bin, 'Node 24'),
  ];
}

await runAlone(import.meta, scaffoldBench);
