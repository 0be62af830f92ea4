// Footprint: what `npm create secure-express` downloads. The tarball's size and files, then a cold
// `npm install` of it into an empty prefix with an empty npm cache (a first-time user), compared with
// create-vite installed the same way, interleaved so both meet the same network and disk.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { countPackages, envWith, folderBytes, kib, log, median, packedGenerator, ratio, row, runAlone, seconds, tempDir, timed } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_INSTALL_ROUNDS || 3);
const MAX_BYTES = 2 * 1024 * 1024;
const PEER = 'create-vite';

/** One cold install: a fresh prefix and a fresh, empty cache. Returns seconds, packages and bytes. */
function coldInstall(spec, timeoutMs) {
  const dir = tempDir('cse-bench-cold-');
  const prefix = join(dir, 'prefix');
  mkdirSync(prefix);
  const env = envWith('', join(dir, 'empty-cache'));
  const { seconds: time } = timed('npm', ['install', '--prefix', prefix, '--no-save', '--loglevel=error', spec], { env, timeout: timeoutMs });
  return { seconds: time, packages: countPackages(prefix), bytes: folderBytes(join(prefix, 'node_modules')) };
}

export async function footprintBench() {
  const { tarball, info } = packedGenerator();
  const rows = [
    row('footprint', 'tarball (packed)', kib(info.size)),
    row('footprint', 'unpacked size', kib(info.unpackedSize), '< 2 MiB', info.unpackedSize < MAX_BYTES),
    row('footprint', 'files in the tarball', String(info.entryCount)),
  ];

  log(`footprint: ${ROUNDS} cold installs each of the tarball and of ${PEER} (empty cache) ...`);
  const ours = [];
  const theirs = [];
  let peerError;
  for (let i = 0; i < ROUNDS; i++) {
    ours.push(coldInstall(tarball, 120_000));
    if (peerError) continue;
    try {
      theirs.push(coldInstall(PEER, 60_000));
    } catch (error) {
      peerError = error;
      log(`${PEER} could not be installed within a minute, left out: ${String(error.message).split('\n')[0]}`);
    }
  }
  const oursTime = median(ours.map((r) => r.seconds));
  rows.push(
    row('footprint', 'packages a cold install downloads', String(ours[0].packages), '1 (bundled)', ours[0].packages === 1),
    row('footprint', 'installed size (node_modules)', kib(ours[0].bytes), '< 2 MiB', ours[0].bytes < MAX_BYTES),
    row('footprint', `cold install, empty cache (median of ${ROUNDS})`, seconds(oursTime)),
  );
  if (theirs.length > 0) {
    const theirTime = median(theirs.map((r) => r.seconds));
    rows.push(
      row('footprint', `${PEER}: cold install, empty cache (median of ${theirs.length})`, `${seconds(theirTime)}, ${theirs[0].packages} package(s), ${kib(theirs[0].bytes)}`),
      // "About as fast": within half again of create-vite's time, which is mostly npm starting up.
      row('footprint', `cold install / ${PEER}'s`, ratio(oursTime / theirTime), '~1x (<= 1.5x)', oursTime / theirTime <= 1.5),
    );
  } else {
    rows.push(row('footprint', `${PEER}: cold install`, 'not measured (registry unreachable or too slow)'));
  }
  return rows;
}

await runAlone(import.meta, footprintBench);
