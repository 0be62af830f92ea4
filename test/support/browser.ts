import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A real browser's view of CORS and of what other origins' pages can make it send: headless Chromium
 * (Debian's package) loads a page from one origin that calls the API (with fetch, frames or forms), and
 * the page writes what happened into the DOM that Chromium then prints. Only the browser enforces CORS
 * and writes Fetch Metadata headers, so this is the check that counts.
 */
const run = promisify(execFile);
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/** Serves one HTML page on 127.0.0.1 and a free port. */
export async function serveHtml(html: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

/** Serves one page that fetches `apiUrl` (with credentials when asked) and reports the outcome. */
export function servePage(apiUrl: string, credentials: boolean): Promise<{ server: Server; port: number }> {
  const html = `<!doctype html><meta charset="utf-8"><pre id="result">pending</pre><script>
fetch(${JSON.stringify(apiUrl)}, { credentials: ${JSON.stringify(credentials ? 'include' : 'same-origin')} })
  .then((response) => response.json().then((body) => 'allowed ' + response.status + ' ' + JSON.stringify(body).length))
  .catch((error) => 'blocked ' + error.name)
  .then((text) => { document.getElementById('result').textContent = text; });
</script>`;
  return serveHtml(html);
}

/**
 * Serves one page that runs `script`, the body of an async function given `api` (the API's base URL),
 * and shows what it returns: for a sequence of fetches, such as signing in and reading a session.
 */
export function serveScript(api: string, script: string): Promise<{ server: Server; port: number }> {
  return serveHtml(scriptPage(api, script));
}

/** The page of serveScript. */
function scriptPage(api: string, script: string): string {
  return `<!doctype html><meta charset="utf-8"><pre id="result">pending</pre><script>
(async (api) => { ${script} })(${JSON.stringify(api)})
  .catch((error) => 'threw ' + error.name)
  .then((text) => { document.getElementById('result').textContent = String(text); });
</script>`;
}

/**
 * DNS rebinding without a DNS server: a port on loopback that answers the first request it gets with
 * the page of serveScript (its `api` is the page's own origin) and then forwards every connection,
 * untouched, to `targetPort`, as the page's name would reach the target once the attacker pointed it
 * there. The page's later requests go to its own origin: the browser sends them as same-origin, and
 * they reach the target with the page's name in `Host`.
 */
export async function serveRebound(script: string, targetPort: number): Promise<{ server: TcpServer; port: number }> {
  const html = scriptPage('', script);
  let pageServed = false;
  const server = createTcpServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.once('data', (request: Buffer) => {
      if (!pageServed) {
        pageServed = true;
        socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${String(Buffer.byteLength(html))}\r\nConnection: close\r\n\r\n${html}`);
        return;
      }
      socket.pause();
      const target = connect(targetPort, '127.0.0.1', () => {
        target.write(request);
        socket.pipe(target).pipe(socket);
      });
      target.on('error', () => socket.destroy());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * Loads `url` in headless Chromium and returns the DOM of what it shows once the page has loaded
 * (another page's, if it navigated). Pages loaded with the same `profile` share one browser profile,
 * and so its cookies.
 */
export async function pageDom(url: string, profile?: string): Promise<string> {
  const own = profile === undefined;
  profile ??= mkdtempSync(join(tmpdir(), 'cse-chromium-'));
  try {
    const { stdout } = await run(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', `--user-data-dir=${profile}`, '--virtual-time-budget=10000', '--dump-dom', url,
    ], { timeout: 60_000 });
    return stdout;
  } finally {
    if (own) rmSync(profile, { recursive: true, force: true });
  }
}

/** Loads `url` in headless Chromium (see pageDom) and returns what the page wrote into #result. */
export async function pageResult(url: string, profile?: string): Promise<string> {
  const dom = await pageDom(url, profile);
  return /<pre id="result">([^<]*)<\/pre>/.exec(dom)?.[1] ?? `no result in:\n${dom}`;
}
