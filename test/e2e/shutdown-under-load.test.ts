import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QUICK, runCli } from '../support/cli.ts';
import { mustPass, npm, projectEnv } from '../support/project.ts';

/**
 * The generated project's shutdown test, run again and again while another process keeps every core
 * busy: its race with keep-alive connections (issue 12) only showed on a loaded machine, so that is
 * where it is proved. Bounded: each run has a deadline, and the burner stops with the test or, at the
 * latest, after BURN_LIMIT_MS.
 */
const RUNS = 20;
const RUN_TIMEOUT_MS = 60_000;
const BURN_LIMIT_MS = 15 * 60_000;

/** One worker thread spinning per core; on SIGTERM it reports the CPU time it used and exits. */
const BURNER = `
const { availableParallelism } = require('node:os');
const { Worker } = require('node:worker_threads');
for (let i = 0; i < availableParallelism(); i += 1) new Worker('for (;;) {}', { eval: true });
setTimeout(() => process.exit(0), ${BURN_LIMIT_MS});
process.on('SIGTERM', () => {
  // The whole process, worker threads included, in microseconds.
  const { user, system } = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMs: (user + system) / 1000 }));
  process.exit(0);
});
`;

describe('the generated shutdown test under CPU load', { concurrency: false }, () => {
  const root = mkdtempSync(join(tmpdir(), 'cse-load-'));
  const dir = join(root, 'api');
  const env = projectEnv(24);
  after(() => rmSync(root, { recursive: true, force: true }));

  before(() => {
    const result = runCli(['api', ...QUICK], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install');
  });

  it(`passes ${RUNS} runs in a row while every core is busy`, { timeout: RUNS * RUN_TIMEOUT_MS + 60_000 }, async () => {
    const burner = spawn('node', ['-e', BURNER], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let report = '';
    burner.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
    await once(burner, 'spawn');
    const started = Date.now();
    const failures: string[] = [];
    const seconds: number[] = [];
    let burning = false;
    try {
      for (let run = 1; run <= RUNS; run += 1) {
        const runStarted = Date.now();
        const result = spawnSync('node', ['--test', 'test/shutdown.test.ts'], { cwd: dir, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
        seconds.push((Date.now() - runStarted) / 1000);
        if (result.status !== 0) failures.push(`run ${run}: exit ${result.status ?? result.signal}\n${`${result.stdout}${result.stderr}`.slice(-3000)}`);
      }
    } finally {
      burning = burner.exitCode === null && burner.signalCode === null;
      burner.kill('SIGTERM');
    }
    await once(burner, 'close');
    const wallMs = Date.now() - started;
    const { cpuMs } = JSON.parse(report || '{"cpuMs":0}') as { cpuMs: number };
    console.log(
      `${RUNS} runs, ${failures.length} failed, ${(wallMs / 1000).toFixed(1)} s ` +
        `(each ${Math.min(...seconds).toFixed(1)} to ${Math.max(...seconds).toFixed(1)} s); ` +
        `the burner used ${(cpuMs / wallMs).toFixed(2)} cores on average`,
    );
    assert.deepEqual(failures, []);
    // The load was there all along: the burner still spinning at the end, and using CPU. (How much of
    // the cores it gets depends on what else the machine runs: the cores are busy either way.)
    assert.ok(burning, 'the burner stopped before the last run ended');
    assert.ok(cpuMs > 0, 'the burner used no CPU');
  });
});
