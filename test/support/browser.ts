import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A real browser's view of CORS: headless Chromium (Debian's package) loads a page from one origin that
 * calls the API with fetch, and the page writes what happened into the DOM that Chromium then prints.
 * Only the browser enforces CORS, so this is the check that counts.
 */
const run = promisify(execFile);
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/** Serves one page that fetches `apiUrl` (with credentials when asked) and reports the outcome. */
export async function servePage(apiUrl: string, credentials: boolean): Promise<{ server: Server; port: number }> {
  const html = `<!doctype html><meta charset="utf-8"><pre id="result">pending</pre><script>
fetch(${JSON.stringify(apiUrl)}, { credentials: ${JSON.stringify(credentials ? 'include' : 'same-origin')} })
  .then((response) => response.json().then((body) => 'allowed ' + response.status + ' ' + JSON.stringify(body).length))
  .catch((error) => 'blocked ' + error.name)
  .then((text) => { document.getElementById('result').textContent = text; });
</script>`;
  const server = createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

/** Loads `url` in headless Chromium and returns what the page wrote into #result. */
export async function pageResult(url: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'cse-chromium-'));
  try {
    const { stdout } = await run(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', `--user-data-dir=${profile}`, '--virtual-time-budget=10000', '--dump-dom', url,
    ], { timeout: 60_000 });
    return /<pre id="result">([^<]*)<\/pre>/.exec(stdout)?.[1] ?? `no result in:\n${stdout}`;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
