import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { startApp } from './helpers.ts';

const ALLOWED = 'https://app.example.com';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * A request with exactly these headers: fetch (undici) sets Sec-Fetch-Mode itself, as a browser would
 * for a script's request, so the other modes are sent through node:http. A POST carries `{}`, which
 * sign-up refuses with a 400 once the request gets that far.
 */
function send(url: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = method === 'POST' ? '{}' : undefined;
    request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    })
      .on('error', reject)
      .end(body);
  });
}

/** What a browser sends with a page's request: where the page is, how it asked, and what for. */
const from = (site: string, mode: string, dest: string, origin?: string): Record<string, string> => ({
  'sec-fetch-site': site,
  'sec-fetch-mode': mode,
  'sec-fetch-dest': dest,
  ...(origin === undefined ? {} : { origin }),
});

/** Where a browser loads a page of another site into this one: each a navigation, none of them top-level. */
const EMBEDDED = ['iframe', 'frame', 'object', 'embed', 'fencedframe'];

test("other sites' hidden iframes, objects and no-cors loops are refused before they spend the visitor's rate limit", async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: ALLOWED, RATE_LIMIT_GLOBAL: '3/1m' });
  const attacks = [
    // A page with 110 hidden <iframe src="api/users/me">, and a few <object> and <embed>.
    ...Array.from({ length: 110 }, () => from('cross-site', 'navigate', 'iframe')),
    ...EMBEDDED.map((dest) => from('cross-site', 'navigate', dest)),
    // A sibling subdomain is the same site, but another origin.
    ...EMBEDDED.map((dest) => from('same-site', 'navigate', dest)),
    // <img>, <script>, and `fetch(api, { mode: 'no-cors' })`, which carries an Origin.
    from('cross-site', 'no-cors', 'image'),
    from('cross-site', 'no-cors', 'script'),
    from('cross-site', 'no-cors', 'empty', 'https://evil.example'),
  ];
  for (const headers of attacks) assert.equal((await send(`${url}/api/v1/users/me`, headers)).status, 403, JSON.stringify(headers));
  for (let i = 0; i < 5; i += 1) {
    assert.equal((await send(`${url}/api/v1/users`, from('cross-site', 'no-cors', 'empty', 'https://evil.example'), 'POST')).status, 403);
  }
  // The visitor's own next request finds its whole budget but the one it spends.
  const own = await send(`${url}/api/v1/users/me`, from('same-origin', 'cors', 'empty'));
  assert.equal(own.status, 401);
  const quota = /q=(\d+)/.exec(String(own.headers['ratelimit-policy']))?.[1];
  assert.equal(quota, '3');
  assert.match(String(own.headers.ratelimit), /^"global"; r=2; t=\d+$/);
});

test('the cross-origin rule, branch by branch: what passes reaches the route, what does not is a 403', async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const thisOrigin = new URL(url).origin;
  const port = Number(new URL(url).port);
  // GET /api/v1/users/me answers 401 to a request that reaches it; POST /api/v1/users a 400 to `{}`.
  const cases: readonly { name: string; method: string; headers: Record<string, string>; passes: boolean }[] = [
    { name: 'an allowed origin, cross-site', method: 'POST', headers: from('cross-site', 'cors', 'empty', ALLOWED), passes: true },
    { name: 'an allowed origin, same-site', method: 'POST', headers: from('same-site', 'cors', 'empty', ALLOWED), passes: true },
    { name: 'the API’s own pages', method: 'POST', headers: from('same-origin', 'cors', 'empty', thisOrigin), passes: true },
    { name: 'a URL the user typed', method: 'GET', headers: from('none', 'navigate', 'document'), passes: true },
    { name: 'a link from another site (GET)', method: 'GET', headers: from('cross-site', 'navigate', 'document'), passes: true },
    { name: 'a link from another site (HEAD)', method: 'HEAD', headers: from('cross-site', 'navigate', 'document'), passes: true },
    ...EMBEDDED.map((dest) => ({ name: `an <${dest}> of another site`, method: 'GET', headers: from('cross-site', 'navigate', dest), passes: false })),
    { name: 'a navigation without Sec-Fetch-Dest (Chromium 76 to 79)', method: 'GET', headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }, passes: false },
    { name: 'a prefetch of a link (speculation rules)', method: 'GET', headers: { ...from('cross-site', 'navigate', 'document'), 'sec-purpose': 'prefetch' }, passes: false },
    { name: 'a form posted from another site', method: 'POST', headers: from('cross-site', 'navigate', 'document', 'https://evil.example'), passes: false },
    { name: 'a sibling subdomain', method: 'POST', headers: from('same-site', 'cors', 'empty', 'https://sibling.example.com'), passes: false },
    { name: 'a sandboxed page (Origin: null)', method: 'POST', headers: from('cross-site', 'no-cors', 'empty', 'null'), passes: false },
    { name: 'a value of Sec-Fetch-Site from the future', method: 'GET', headers: from('cross-galaxy', 'cors', 'empty'), passes: false },
    // Without Sec-Fetch-Site: a client that is not a browser, or a browser from before 2023.
    { name: 'curl (GET)', method: 'GET', headers: {}, passes: true },
    { name: 'curl (POST)', method: 'POST', headers: {}, passes: true },
    { name: 'an old browser on an allowed origin', method: 'POST', headers: { origin: ALLOWED }, passes: true },
    { name: 'an old browser on this host', method: 'POST', headers: { origin: thisOrigin }, passes: true },
    { name: 'an old browser reading from another site', method: 'GET', headers: { origin: 'https://evil.example' }, passes: true },
    { name: 'an old browser posting from another site', method: 'POST', headers: { origin: 'https://evil.example' }, passes: false },
    { name: 'an old browser posting from a sandboxed page', method: 'POST', headers: { origin: 'null' }, passes: false },
    { name: 'a look-alike of an allowed origin', method: 'POST', headers: { origin: `${ALLOWED}.evil.example` }, passes: false },
    { name: 'a sibling subdomain of an old browser', method: 'POST', headers: { origin: 'https://sibling.example.com' }, passes: false },
    { name: 'this host on another port', method: 'POST', headers: { origin: `http://127.0.0.1:${String(port === 65535 ? port - 1 : port + 1)}` }, passes: false },
  ];
  for (const { name, method, headers, passes } of cases) {
    const reached = method === 'POST' ? 400 : 401;
    const { status } = await send(`${url}/api/v1/${method === 'POST' ? 'users' : 'users/me'}`, headers, method);
    assert.equal(status, passes ? reached : 403, name);
  }
});
