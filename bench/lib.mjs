// What every bench shares: the machine's facts, timing, the packed generator, a generated project, and
// the one table they all print into. Plain Node ESM on the machine's Node.js; no dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');
/**
 * The npm cache the tests use (test/support/project.ts): CSE_NPM_CACHE, else npm's own. "Warm" means
 * this one, as a developer's machine has it.
 */
export const WARM_CACHE = process.env.CSE_NPM_CACHE || execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();

/** Folders made by this run, removed at exit unless BENCH_KEEP is set (to look at what was measured). */
const made = [];
process.on('exit', () => {
  if (process.env.BENCH_KEEP) return;
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'cse-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The commit measured, and whether the working tree differs from it (npm pack packs the working tree). */
function revision() {
  try {
    const git = (...args) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'templates', 'scripts', 'bin', 'schema', 'package.json');
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes to src, templates or scripts' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function machineFacts() {
  const cpuList = cpus();
  return {
    revision: revision(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim(),
    os: `${platform()} ${release()}`,
    cpus: `${cpuList.length} x ${cpuList[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free)`,
  };
}

export function printFacts(facts = machineFacts()) {
  console.log(`machine: ${facts.cpus}, ${facts.memory}, ${facts.os}`);
  console.log(`node ${facts.node} (npm ${facts.npm}), ${facts.date}, generator at ${facts.revision}`);
}

/**
 * How busy the machine is: the 1-minute load average, the CPU seconds every process has used (from
 * /proc/stat) and those this process and its finished children have used. Two readings give the share
 * of the cores that other processes took in between (servers the bench starts count once they exit).
 */
export function cpuReading() {
  const read = (path) => readFileSync(path, 'utf8');
  const [user, nice, system, , , irq, softirq] = read('/proc/stat').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const [utime, stime, cutime, cstime] = read('/proc/self/stat').split(') ')[1].split(' ').slice(11, 15).map(Number);
  return {
    at: process.hrtime.bigint(),
    load: Number(read('/proc/loadavg').split(' ')[0]),
    busy: (user + nice + system + irq + softirq) / 100,
    mine: (utime + stime + cutime + cstime) / 100,
  };
}

/** The share of all cores (0 to 1) other processes used between two readings. */
export function othersShare(before, after) {
  const wall = Number(after.at - before.at) / 1e9;
  return Math.max(0, after.busy - before.busy - (after.mine - before.mine)) / (wall * cpus().length);
}

export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs a command to completion and returns its wall time in seconds; throws if it fails. */
export function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, ...options });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

/** Prints the bin folder of a real Node.js of this major (scripts/node-bin.sh), as the tests do. */
export function nodeBin(major) {
  return execFileSync('bash', [join(ROOT, 'scripts', 'node-bin.sh'), String(major)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** An environment whose `node` and `npm` are those of `bin`, with the given npm cache. */
/**
 * How the benches run a generated server: in production, stopping at once, and answering the name
 * they reach it by (production requires ALLOWED_HOSTS; an older generator ignores it).
 */
export const PRODUCTION = { NODE_ENV: 'production', SHUTDOWN_GRACE_MS: '0', ALLOWED_HOSTS: '127.0.0.1' };

export function envWith(bin, cache, extra = {}) {
  const { NODE_ENV: _nodeEnv, npm_config_prefix: _prefix, ...rest } = process.env;
  return {
    ...rest,
    PATH: bin ? `${bin}${delimiter}${process.env.PATH}` : process.env.PATH,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

/** Packages below a prefix, as `npm ls --all --parseable` lists them (the root itself left out). */
export function countPackages(prefix, args = []) {
  const result = spawnSync('npm', ['ls', '--all', '--parseable', ...args], { cwd: prefix, encoding: 'utf8', env: envWith('', WARM_CACHE) });
  return result.stdout.split('\n').filter((line) => line.trim() !== '' && resolve(line) !== resolve(prefix)).length;
}

export function folderBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    total += stat.isDirectory() ? folderBytes(path) : stat.size;
  }
  return total;
}

/**
 * The generator as users get it: `npm pack` (whose prepack runs the build) and an install of the
 * tarball into a scratch prefix. Done once per run and shared by every bench.
 */
let packed;
export function packedGenerator() {
  if (packed) return packed;
  const dir = tempDir('cse-bench-pack-');
  log('npm pack (runs the build) ...');
  const { stdout } = timed('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT });
  // prepack's own output comes first on stdout; the JSON report is the rest.
  const [info] = JSON.parse(stdout.slice(stdout.search(/^\[/m)));
  const tarball = join(dir, info.filename);
  const prefix = join(dir, 'installed');
  mkdirSync(prefix);
  timed('npm', ['install', '--prefix', prefix, '--no-save', '--loglevel=error', tarball], { env: envWith('', WARM_CACHE) });
  const bin = join(prefix, 'node_modules', 'create-secure-express', 'bin', 'create-secure-express.js');
  if (!existsSync(bin)) throw new Error(`the installed bin is missing: ${bin}`);
  packed = { tarball, bin, info };
  return packed;
}

/**
 * A project generated with the defaults (and `--db postgres` for PostgreSQL) by the packed bin, then
 * `npm install` (its time is that of the first install: warm only if an earlier run filled the cache)
 * and `npm run build` on Node 24. One of each per run, shared by the benches.
 */
const projects = new Map();
export function generatedProject(db = 'sqlite') {
  if (projects.has(db)) return projects.get(db);
  const { bin, tarball } = packedGenerator();
  const node24 = nodeBin(24);
  const parent = tempDir(`cse-bench-project-${db}-`);
  const dbArgs = db === 'sqlite' ? [] : ['--db', db];
  // The project pins its generator (the devDependency `npm run check` runs): this packed build, not on the registry.
  const generatorSpec = { CSE_GENERATOR_SPEC: `file:${tarball}` };
  timed(process.execPath, [bin, 'my-api', '--yes', '--no-install', '--no-git', ...dbArgs], { cwd: parent, env: { ...process.env, CI: 'true', ...generatorSpec } });
  const dir = join(parent, 'my-api');
  const env = envWith(node24, WARM_CACHE);
  log(`generated project (${db}): npm install ...`);
  const firstInstall = timed('npm', ['install', '--loglevel=error'], { cwd: dir, env }).seconds;
  log(`generated project (${db}): npm run build ...`);
  timed('npm', ['run', 'build'], { cwd: dir, env });
  const project = { dir, env, node24, firstInstall };
  projects.set(db, project);
  return project;
}

/** The table every bench adds rows to: what, the figure, the target and whether it holds. */
export function row(bench, what, value, target = '', holds = undefined) {
  return { bench, what, value, target, holds: holds === undefined ? '' : holds ? 'yes' : 'NO' };
}

export function printTable(rows) {
  const header = { bench: 'bench', what: 'measure', value: 'figure', target: 'target', holds: 'holds' };
  const keys = Object.keys(header);
  const widths = keys.map((key) => Math.max(...[header, ...rows].map((r) => String(r[key]).length)));
  const line = (r) => `| ${keys.map((key, i) => String(r[key]).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

export const seconds = (value) => `${value.toFixed(3)} s`;
export const ratio = (value) => `${value.toFixed(2)}x`;
export const kib = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);

/** Lets each bench run on its own (`node bench/scaffold.mjs`) as well as from run.mjs. */
export async function runAlone(meta, bench) {
  if (process.argv[1] !== fileURLToPath(meta.url)) return;
  printFacts();
  try {
    printTable(await bench());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
