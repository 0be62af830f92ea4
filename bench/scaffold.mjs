// Scaffold time: the installed bin from the packed tarball against the floor of starting Node.js at all.
// Runs are interleaved (floor, --version, scaffold, floor, ...) so a noisy moment hurts all three alike,
// and each scaffold writes into a fresh folder. Where /dev/shm is a writable tmpfs, each round also
// scaffolds there: the same run without the disk's file system, whose file creation is most of the
// difference (on this machine's ext4 it costs several times more just after many files were deleted).
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { log, median, nodeBin, packedGenerator, ratio, row, runAlone, seconds, tempDir, timed } from './lib.mjs';

const RUNS = Number(process.env.BENCH_SCAFFOLD_RUNS || 15);
const TARGET = 2;

/** A folder on tmpfs for the comparison runs, or undefined where there is none to write to. */
function memoryParent() {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return mkdtempSync('/dev/shm/cse-bench-scaffold-');
  } catch {
    return undefined;
  }
}

function measure(node, bin, label) {
  const parent = tempDir('cse-bench-scaffold-');
  const inMemory = memoryParent();
  const env = { ...process.env, CI: 'true', npm_config_user_agent: '' };
  const floor = [];
  const version = [];
  const scaffold = [];
  const scaffoldInMemory = [];
  const args = [bin, 'my-api', '--yes', '--no-install', '--no-git'];
  try {
    // One untimed round first: the file system cache holds the bundle for every timed run alike.
    timed(node, [bin, '--version'], { env });
    for (let i = 0; i < RUNS; i++) {
      floor.push(timed(node, ['-e', '0'], { env }).seconds);
      version.push(timed(node, [bin, '--version'], { env }).seconds);
      scaffold.push(timed(node, args, { cwd: mkdtempSync(join(parent, 'run-')), env }).seconds);
      if (inMemory) scaffoldInMemory.push(timed(node, args, { cwd: mkdtempSync(join(inMemory, 'run-')), env }).seconds);
    }
  } finally {
    if (inMemory) rmSync(inMemory, { recursive: true, force: true });
  }
  const [f, v, s] = [median(floor), median(version), median(scaffold)];
  const m = inMemory ? median(scaffoldInMemory) : undefined;
  log(`scaffold on ${label}: floor ${seconds(f)}, --version ${seconds(v)}, scaffold ${seconds(s)}${m ? `, on tmpfs ${seconds(m)}` : ''}`);
  return [
    row('scaffold', `\`node -e 0\`, ${label} (median of ${RUNS})`, seconds(f)),
    row('scaffold', `\`--version\`, ${label}`, `${seconds(v)} (${ratio(v / f)} floor)`),
    row('scaffold', `\`my-api --yes --no-install --no-git\`, ${label}`, seconds(s)),
    row('scaffold', `scaffold / floor, ${label}`, ratio(s / f), `<= ${ratio(TARGET)}`, s / f <= TARGET),
    ...(m ? [row('scaffold', `the same into tmpfs (/dev/shm), ${label}`, `${seconds(m)} (${ratio(m / f)} floor)`)] : []),
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
