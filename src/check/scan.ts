import { renameSync, writeFileSync } from 'node:fs';
import { CliError } from '../errors.ts';
import type { Output } from '../ui/output.ts';
import type { CheckOptions } from './args.ts';
import { createClient, RequestCapReached, RequestFailed } from './client.ts';
import { createProbeContext, type ProbeContext } from './context.ts';
import { fail, skipped, type Check, type CheckResult } from './model.ts';
import { noticeText, planProbes } from './plan.ts';
import { CHECKS } from './probes/index.ts';
import { resultsJson } from './report/json.ts';
import { resultsSarif } from './report/sarif.ts';
import type { RunFacts } from './report/summary.ts';
import { renderTable } from './report/table.ts';

export interface ScanIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** One check, with the cap and dead connections turned into verdicts rather than a crash. */
async function runOne(check: Check, context: ProbeContext): Promise<CheckResult> {
  try {
    return { check, ...(await check.run(context)) };
  } catch (error) {
    if (error instanceof RequestCapReached) return { check, ...skipped(`not run: ${error.message}`) };
    if (error instanceof RequestFailed) return { check, ...fail(`no answer: ${error.message}`) };
    throw error;
  }
}

/** Writes beside the target and renames, so a reader never sees half a file. */
function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * The run: say what will be sent, reach the API once (or stop), run every check in order, then report.
 * Returns the exit code: 1 when a check failed, else 0.
 */
export async function scanApi(options: CheckOptions, version: string, io: ScanIo, out: Output): Promise<number> {
  const plan = planProbes(options, Math.random().toString(16).slice(2, 10));
  io.stderr.write(`${noticeText(plan, options)}\n\n`);

  const client = createClient(options.url, { maxRequests: options.maxRequests, timeoutMs: options.timeoutMs, userAgent: `create-secure-express-check/${version}` });
  const context = createProbeContext(client, plan, options);
  const started = performance.now();
  const results: CheckResult[] = [];
  try {
    try {
      await context.shared('success');
    } catch (error) {
      if (error instanceof RequestFailed) throw new CliError(`cannot reach ${options.url.href}: ${error.message}`, 1);
      throw error;
    }
    for (const check of CHECKS) results.push(await runOne(check, context));
  } finally {
    client.close();
  }

  const facts: RunFacts = { version, target: options.url.href, requests: client.sent, maxRequests: options.maxRequests, seconds: (performance.now() - started) / 1000 };
  if (options.sarif) writeWhole(options.sarif, resultsSarif(results, facts));
  io.stdout.write(`${options.json ? resultsJson(results, facts) : renderTable(results, facts, out, io.stdout.isTTY ? io.stdout.columns : undefined)}\n`);
  return results.some((result) => result.verdict === 'fail') ? 1 : 0;
}
