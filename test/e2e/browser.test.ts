import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pageDom, pageResult, serveHtml, servePage, serveRebound, serveScript } from '../support/browser.ts';
import { QUICK, runCli } from '../support/cli.ts';
import { freePort, mustPass, npm, projectEnv, type RunningServer, startServer } from '../support/project.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

/**
 * What only a browser can show: which requests other origins' pages can make a visitor's browser send,
 * and what they achieve. One cookie project (the browser carries its session by itself) is generated
 * from the packed CLI, built and started once in production; every page talks to that one server.
 * Pages load from two sites: `localhost`, the API's own site (as a sibling subdomain would be: Lax
 * cookies go with its requests), and `127.0.0.1`, another site; `rebound.localhost` stands for an
 * attacker's name rebound to the API's address.
 */
describe('in Chromium, a generated project with cookie sessions', { concurrency: false }, () => {
  const env = projectEnv(24);
  const cwd = mkdtempSync(join(tmpdir(), 'cse-browser-'));
  const profile = mkdtempSync(join(tmpdir(), 'cse-chromium-'));
  const pages: Server[] = [];
  let server: RunningServer;
  let sink: SmtpSink;
  let api = '';
  /** The origin of a page server on the API's site, and the page's address on another site. */
  const onThisSite = (page: { port: number }) => `http://localhost:${String(page.port)}`;
  const onAnotherSite = (page: { port: number }) => `http://127.0.0.1:${String(page.port)}`;
  const served = async <T extends { server: Server }>(page: Promise<T>): Promise<T> => {
    const started = await page;
    pages.push(started.server);
    return started;
  };
  /** The server's log lines of requests to `url` answered with `status`. */
  const logged = (method: string, url: string, status: number) =>
    server.output().split('\n').filter((line) => line.includes(`"method":"${method}","url":"${url}"`) && line.includes(`"res":{"statusCode":${String(status)}}`)).length;
  /** The same, once the log has caught up: the server writes its log at most a second late (buffered). */
  const answered = async (method: string, url: string, status: number, expected: number) => {
    for (let waited = 0; logged(method, url, status) < expected && waited < 3_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    return logged(method, url, status);
  };

  let reader: { port: number };
  let stranger: { port: number };
  let budget: { port: number };
  let embedder: { port: number };
  let signIn: { port: number };
  let readMe: { port: number };
  let attacker: { port: number };
  let formPoster: { port: number };
  let rebound: { port: number };
  let reboundControl: { port: number };

  before(async () => {
    const result = runCli(['api', ...QUICK, '--session', 'cookie'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const dir = join(cwd, 'api');
    mustPass(npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund'], env), 'npm install');
    mustPass(npm(dir, ['run', 'build'], env), 'build');

    const apiPort = await freePort();
    api = `http://localhost:${String(apiPort)}`;
    const me = `${api}/api/v1/users/me`;
    const call = "(path, init = {}) => fetch(api + path, { credentials: 'include', ...init })";
    reader = await served(servePage(`${api}/readyz`, true));
    stranger = await served(servePage(`${api}/readyz`, true));
    budget = await served(serveScript(api, `
      const me = await fetch(api + '/api/v1/users/me');
      return me.status + ' ' + me.headers.get('ratelimit');`));
    // 110 hidden iframes, two objects and two embeds: each a navigation, none of them top-level.
    const hidden = 'style="position:absolute;left:-99px;width:1px;height:1px;border:0"';
    const embedded = [
      ...Array.from({ length: 110 }, () => `<iframe src="${me}" ${hidden}></iframe>`),
      ...Array.from({ length: 2 }, () => `<object data="${me}" ${hidden}></object><embed src="${me}" ${hidden}>`),
    ];
    embedder = await served(serveHtml(`<!doctype html><meta charset="utf-8"><pre id="result">pending</pre>${embedded.join('')}
<script>addEventListener('load', () => { document.getElementById('result').textContent = 'loaded'; });</script>`));
    signIn = await served(serveScript(api, `
      const call = ${call};
      const body = JSON.stringify({ email: 'browser@example.com', password: 'correct horse battery staple' });
      const headers = { 'content-type': 'application/json' };
      const login = await call('/api/v1/auth/login', { method: 'POST', headers, body });
      const text = await login.text();
      const me = await call('/api/v1/users/me');
      return [login.status, /"token"/.test(text) ? 'token in body' : 'no token in body', me.status, (await me.json()).email].join(' ');`));
    readMe = await served(serveScript(api, `
      const me = await fetch(api + '/api/v1/users/me', { credentials: 'include' });
      return 'me ' + me.status + ' ' + (await me.json()).email;`));
    attacker = await served(serveScript(api, `
      const read = await fetch(api + '/api/v1/users/me', { credentials: 'include' }).then((r) => 'read ' + r.status, (e) => 'read blocked ' + e.name);
      // A simple request needs no preflight: the browser sends it, with the cookie, whatever CORS says
      // (its answer is opaque, or refused by the browser's opaque-response blocking).
      await fetch(api + '/api/v1/auth/logout', { method: 'POST', credentials: 'include', mode: 'no-cors' }).catch(() => undefined);
      return read;`));
    // A form posted as the page loads: a top-level navigation, but a POST.
    formPoster = await served(serveHtml(`<!doctype html><form method="post" action="${api}/api/v1/auth/logout" enctype="text/plain">
<input name="a" value="b"></form><script>document.forms[0].submit();</script>`));

    // DNS rebinding: a page whose name now points at the API reads it as its own origin.
    const readOwnOrigin = "const me = await fetch('/api/v1/users/me'); return me.status + ' ' + (await me.json()).status;";
    rebound = await served(serveRebound(readOwnOrigin, apiPort));
    reboundControl = await served(serveRebound(readOwnOrigin, apiPort));

    sink = await startSmtpSink();
    server = await startServer(dir, ['dist/server.js'], {
      ...env,
      ...sink.env,
      NODE_ENV: 'production',
      // CORS_ORIGINS replaces the generated allowlist: the pages that stand for the app.
      CORS_ORIGINS: [reader, budget, signIn, readMe].map(onThisSite).join(','),
      // Fewer than the iframes: had they counted, the visitor's next request would be a 429.
      RATE_LIMIT_GLOBAL: '100/15m',
    }, apiPort);
  });

  after(async () => {
    if (server !== undefined) assert.equal(await server.stop(), 0, server.output());
    await sink?.close();
    pages.forEach((page) => page.close());
    rmSync(cwd, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('lets a page on an allowed origin read the API, and keeps the answer from a page on another origin', async () => {
    assert.match(await pageResult(`${onThisSite(reader)}/`), /^allowed 200 /);
    assert.equal(await pageResult(`${onThisSite(stranger)}/`), 'blocked TypeError');
  });

  it("leaves the visitor's rate limit untouched when another site's page opens 110 hidden iframes, 2 objects and 2 embeds to it", async () => {
    const remaining = async () => {
      const [status, rateLimit] = (await pageResult(`${onThisSite(budget)}/`)).split(' ', 2);
      assert.equal(status, '401');
      return Number(/; r=(\d+);/.exec(rateLimit ?? '')?.[1]);
    };
    const left = await remaining();
    assert.equal(await pageResult(`${onAnotherSite(embedder)}/`), 'loaded');
    assert.equal(await answered('GET', '/api/v1/users/me', 403, 114), 114, 'every frame reached the API and was refused');
    assert.equal(await remaining(), left - 1, 'only the visitor’s own request counted');
  });

  it('answers a page whose name was rebound to the API (DNS rebinding) with a 421; the same page on an allowed name reaches the route', async () => {
    // `*.localhost` is loopback to Chromium: the attacker's name, pointed at this machine.
    assert.equal(await pageResult(`http://rebound.localhost:${String(rebound.port)}/`), '421 421');
    assert.equal(await pageResult(`http://localhost:${String(reboundControl.port)}/`), '401 401', 'the forwarding itself reaches the route');
  });

  it('lets an allowed page sign in, post and read the caller; pages of other origins can neither read it nor sign the caller out', async () => {
    // The account is made and its address proved first, as its owner would through the mail.
    const account = JSON.stringify({ email: 'browser@example.com', password: 'correct horse battery staple' });
    const sameOrigin = { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' };
    assert.equal((await fetch(`${server.base}/api/v1/users`, { method: 'POST', headers: sameOrigin, body: account })).status, 202);
    const token = JSON.stringify({ token: await sink.token('browser@example.com', 'verify-email') });
    assert.equal((await fetch(`${server.base}/api/v1/auth/verify-email`, { method: 'POST', headers: sameOrigin, body: token })).status, 204);
    assert.equal(await pageResult(`${onThisSite(signIn)}/`, profile), '200 no token in body 200 browser@example.com');
    // From the API's site the Lax cookie goes along; only the origin tells these requests from the app's.
    assert.equal(await pageResult(`${onThisSite(attacker)}/`, profile), 'read blocked TypeError');
    for (const page of [onThisSite(formPoster), onAnotherSite(formPoster)]) {
      // The browser shows the API's answer to the form: the refusal.
      assert.match(await pageDom(`${page}/`, profile), /"status":403,"detail":"Requests made by pages of other origins are refused\."/, page);
    }
    assert.equal(await answered('POST', '/api/v1/auth/logout', 403, 3), 3, 'the no-cors POST and both forms reached the API and were refused');
    assert.equal(await pageResult(`${onThisSite(readMe)}/`, profile), 'me 200 browser@example.com', 'still signed in');
  });
});
