// `npm run bench`: every bench in one run, one table. The generator is packed and installed once, and
// one generated project per database serves the project, startup, runtime and auth benches.
//   node bench/run.mjs [--only scaffold,footprint,project,startup,runtime,auth,flood]
// Knobs (environment): BENCH_SCAFFOLD_RUNS (15), BENCH_INSTALL_ROUNDS (3), BENCH_STARTUP_RUNS (7),
// BENCH_DURATION (10 s), BENCH_WARMUP (2 s), BENCH_VARIANT_DURATION (3 s), BENCH_VARIANT_ROUNDS (3),
// BENCH_CONNECTIONS (32), BENCH_LOGINS (30), BENCH_BURST_ROUNDS (3), PG_BIN (PostgreSQL's bin folder),
// BENCH_FLOOD (4000 sign-ups), BENCH_FLOOD_BEFORE (the commit "before" in the flood bench), BENCH_KEEP (keep temp folders).
import { authBench } from './auth.mjs';
import { floodBench } from './flood.mjs';
import { footprintBench } from './footprint.mjs';
import { cpuReading, log, machineFacts, othersShare, printFacts, printTable } from './lib.mjs';
import { projectBench } from './project.mjs';
import { runtimeBench } from './runtime.mjs';
import { scaffoldBench } from './scaffold.mjs';
import { startupBench } from './startup.mjs';

const BENCHES = {
  scaffold: scaffoldBench,
  footprint: footprintBench,
  project: projectBench,
  startup: startupBench,
  runtime: runtimeBench,
  auth: authBench,
  flood: floodBench,
};

const onlyIndex = process.argv.indexOf('--only');
const names = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '').split(',') : Object.keys(BENCHES);
const unknown = names.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}

const facts = machineFacts();
const started = Date.now();
const rows = [];
// How quiet the machine was for each bench: the load average as it started, and the CPU that other
// processes (not this run) used while it ran.
const quiet = [];
let failed = false;
for (const name of names) {
  const before = cpuReading();
  try {
    rows.push(...(await BENCHES[name]()));
  } catch (error) {
    failed = true;
    log(`${name} failed: ${error instanceof Error ? error.message : error}`);
  }
  const after = cpuReading();
  quiet.push(`${name} ${before.load.toFixed(2)} (others ${(othersShare(before, after) * 100).toFixed(0)}%)`);
}

console.log('');
printFacts(facts);
console.log(`benches: ${names.join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
console.log(`load average at each bench's start (other processes' share of the cores during it): ${quiet.join(', ')}\n`);
printTable(rows);
const missed = rows.filter((r) => r.holds === 'NO').map((r) => `${r.bench}: ${r.what}`);
console.log(`\ntargets: ${rows.filter((r) => r.holds === 'yes').length} hold, ${missed.length} do not${missed.length ? ` (${missed.join('; ')})` : ''}`);
// A missed target is a finding, not a crash: only a bench that could not run fails the command.
process.exitCode = failed ? 1 : 0;
