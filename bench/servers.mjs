// Servers the benches start and stop, always on 127.0.0.1 and by their own process id: a free port, a
// process that answers /healthz, the time a server takes to log `listening`, and HTTP requests sent
// from a chosen loopback address (127.0.0.2, ...: another client, as the server sees it, with no proxy).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every server still running, killed if the bench ends without stopping it (an exception, Ctrl-C). */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function track(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Stops a child process: SIGTERM, then SIGKILL after 10 s. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `<node> <entry>` in `cwd` on a free port of 127.0.0.1 with its output in a file (as a log
 * collector would take it), and resolves once /healthz answers 200.
 */
export async function startServer(node, cwd, entry, env, logFile) {
  const port = await freePort();
  const out = openSync(logFile, 'w');
  const child = track(spawn(node, [entry], { cwd, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', out, out] }));
  closeSync(out);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not answer /healthz within 60 s:\n${readFileSync(logFile, 'utf8')}`);
    }
    await sleep(100);
  }
  return { base, pid: child.pid, stop: () => stopChild(child) };
}

/**
 * Seconds from spawning `<node> <entry>` to its `listening` log line on stdout (the server's own
 * moment of readiness, logged once it listens), then stops it. Bounded to 60 s.
 */
export async function timeToListening(node, cwd, entry, env) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = track(spawn(node, [entry], { cwd, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not log "listening" within 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (/"msg":"listening"/.test(output)) {
        clearTimeout(timer);
        resolve(Number(process.hrtime.bigint() - started) / 1e9);
      }
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before listening:\n${output}`));
    });
  });
  try {
    return await listening;
  } finally {
    await stopChild(child);
  }
}

/**
 * One HTTP request on a new connection from `from` (a loopback address), bounded to 60 s. Resolves
 * with the status, headers, body text and the seconds until the whole answer arrived.
 */
export function send(base, method, path, { body, headers = {}, from = '127.0.0.1' } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const url = new URL(path, base);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        localAddress: from,
        timeout: 60_000,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A request that must answer `status`; resolves with the parsed JSON body (if any) and the seconds. */
export async function sendExpecting(status, base, method, path, options) {
  const response = await send(base, method, path, options);
  if (response.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${response.status} ${response.text}`);
  return { ...response, json: response.text === '' ? undefined : JSON.parse(response.text) };
}
