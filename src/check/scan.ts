import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import type { Output } from '../ui/output.ts';
import type { TextStream } from '../ui/standard-output.ts';
import type { CheckOptions } from './args.ts';
import { createClient, HostRefused, RequestCapReached, RequestFailed, type Client } from './client.ts';
import { createProbeContext, describeExchange, type Exchange, type ProbeContext } from './context.ts';
import { skipped, warn, type Check, type CheckResult } from './model.ts';
import { OpenapiError, parseOpenapi, type Operation } from './openapi.ts';
import { noticeText, planProbes } from './plan.ts';
import { answeredByProxy, isLimited } from './proxy.ts';
import { CHECKS } from './probes/index.ts';
import { resultsJson } from './report/json.ts';
import { resultsSarif } from './report/sarif.ts';
import type { Execution, RunFacts } from './report/summary.ts';
import { renderTable } from './report/table.ts';

export interface ScanIo {
  readonly stdout: TextStream;
  readonly stderr: TextStream;
}

/** The run could not do what it was asked: nothing is judged, and the reports say why. */
class RunStopped extends Error {}

/** One check, with the cap and dead connections turned into verdicts rather than a crash. */
async function runOne(check: Check, context: ProbeContext): Promise<CheckResult> {
  try {
    return { check, ...(await check.run(context)) };
  } catch (error) {
    if (error instanceof RequestCapReached) return { check, ...skipped(`not run: ${error.message}`) };
    // A request that went unanswered (a route that hangs, a connection cut mid-upload) says nothing
    // about what the check looks for: failing it would report a hole nobody saw.
    if (error instanceof RequestFailed) return { check, ...warn(`no answer: ${error.message}: nothing was judged; see why the API did not answer this request`, { severity: 'low' }) };
    throw error;
  }
}

/** Writes beside the target and renames, so a reader never sees half a file. */
function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** A file is read (and refused) before anything is sent; a URL is fetched through the client, on the API's origin. */
async function loadOperations(options: CheckOptions, client: Client): Promise<Operation[]> {
  const source = options.openapi;
  if (source === undefined) return [];
  if ('file' in source) {
    try {
      return parseOpenapi(readFileSync(source.file, 'utf8'), source.file);
    } catch (error) {
      if (error instanceof OpenapiError) throw new UsageError(`--openapi: ${error.message}`);
      throw error;
    }
  }
  const path = `${source.url.pathname}${source.url.search}`;
  const response = await client.send({ method: 'GET', path, headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new RunStopped(`--openapi: GET ${path} → ${response.status}: expected 200 and an OpenAPI document`);
  try {
    return parseOpenapi(response.body, source.url.href);
  } catch (error) {
    if (error instanceof OpenapiError) throw new RunStopped(`--openapi: ${error.message}`);
    throw error;
  }
}

/** Why a URL's answer makes the whole run meaningless, or undefined when it is a success. */
function preconditionFailure(exchange: Exchange): string | undefined {
  const { status, headers } = exchange.response;
  // A 401 or 403 is an API that is there and wants credentials: many have no public GET at all.
  if ((status >= 200 && status < 300) || status === 401 || status === 403) return undefined;
  const head = describeExchange(exchange);
  if (status >= 300 && status < 400) return `${head}${headers.location ? ` to ${headers.location}` : ''}: redirects are not followed; give the final URL`;
  if (isLimited(exchange)) return `${head}: rate limited; run again when its window has passed`;
  // nginx's answer to plain http on a port that speaks https: a 400 that says so.
  if (status === 400 && /plain HTTP request was sent to HTTPS port/i.test(exchange.response.body)) return `${head}: this port speaks https: give an https:// URL`;
  const proxy = status >= 500 ? answeredByProxy(exchange.response) : undefined;
  if (proxy) return `${head}, answered by ${proxy} itself: the app behind it did not answer (it is down, or not where the proxy sends requests); nothing was judged`;
  return `${head}: check needs URLs that answer GET with 2xx, 401 or 403 (such as /healthz); nothing was judged against an API that is not there`;
}

/**
 * The run: say what will be sent, check that every URL answers (or stop and say why), run every
 * check in order, then report. The reports are written whatever happens, a stopped run included
 * (with the reason). Returns the exit code: 1 when a check failed or the run stopped, else 0.
 */
export async function scanApi(options: CheckOptions, version: string, io: ScanIo, out: Output): Promise<number> {
  const [url] = options.urls;
  if (!url) throw new UsageError('check needs the URL of a running API (see check --help)');
  const target = url.href;
  const client = createClient(url, { maxRequests: options.maxRequests, timeoutMs: options.timeoutMs, userAgent: `create-secure-express-check/${version}` });
  const started = performance.now();
  const preconditions: string[] = [];
  let results: CheckResult[] = [];
  let execution: Execution = { successful: true };
  try {
    const operations = await loadOperations(options, client);
    const plan = planProbes(options, operations);
    io.stderr.write(`${noticeText(plan, options)}\n\n`);
    const context = createProbeContext(client, plan, options);
    for (const path of plan.successPaths) {
      const exchange = await context.success(path);
      preconditions.push(describeExchange(exchange));
      const failure = preconditionFailure(exchange);
      if (failure) throw new RunStopped(failure);
    }
    for (const check of CHECKS) results.push(await runOne(check, context));
    const limit = plan.limit;
    const limitAnswer = limit && context.exchanges().find(({ request }) => request.path === limit.path && request.method === limit.method);
    if (limitAnswer) preconditions.push(describeExchange(limitAnswer));
  } catch (error) {
    const reason =
      error instanceof RunStopped || error instanceof HostRefused ? error.message : error instanceof RequestFailed ? `cannot reach ${target}: ${error.message}` : error instanceof RequestCapReached ? error.message : undefined;
    if (reason === undefined) throw error;
    execution = { successful: false, reason };
    results = CHECKS.map((check) => ({ check, ...skipped(`not run: ${reason}`) }));
  } finally {
    client.close();
  }

  const facts: RunFacts = {
    version,
    target,
    targets: options.urls.map((url) => url.href),
    requests: client.sent,
    maxRequests: options.maxRequests,
    seconds: (performance.now() - started) / 1000,
    execution,
    preconditions,
  };
  if (options.sarif) writeWhole(options.sarif, resultsSarif(results, facts));
  if (options.json) io.stdout.write(`${resultsJson(results, facts)}\n`);
  if (!execution.successful) {
    io.stderr.write(`error: ${execution.reason}\n`);
    return 1;
  }
  if (!options.json) io.stdout.write(`${renderTable(results, facts, out, io.stdout.isTTY ? io.stdout.columns : undefined)}\n`);
  return results.some((result) => result.verdict === 'fail') ? 1 : 0;
}
