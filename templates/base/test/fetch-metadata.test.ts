import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { startApp } from './helpers.ts';

const ALLOWED = 'https://app.example.com';

/**
 * A request with exactly these headers: fetch (undici) sets Sec-Fetch-Mode itself, as a browser would
 * for a script's request, so the other modes are sent through node:http.
 */
function send(url: string, headers: Record<string, string>, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

/** What Chromium sends with a page's request, by where the page is and how it asked. */
const from = (site: string, mode: string, origin?: string): Record<string, string> => ({
  'sec-fetch-site': site,
  'sec-fetch-mode': mode,
  ...(origin === undefined ? {} : { origin }),
});

test("other sites' pages cannot spend a visitor's rate limit: their requests are refused before they count", async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: ALLOWED, RATE_LIMIT_GLOBAL: '2/1m' });
  // What `fetch(api, { mode: 'no-cors', method: 'POST', body })` in a loop on a hostile page sends.
  for (let i = 0; i < 5; i += 1) {
    assert.equal(await send(`${url}/api/v1/auth/login`, { ...from('cross-site', 'no-cors', 'https://evil.example'), 'content-type': 'text/plain' }, 'POST'), 403);
  }
  // An <img> or a no-cors GET carries no Origin at all.
  assert.equal(await send(`${url}/api/v1/users/me`, from('cross-site', 'no-cors')), 403);
  // The visitor's own budget is whole.
  assert.equal((await fetch(`${url}/api/v1/users/me`)).status, 401);
  assert.equal((await fetch(`${url}/api/v1/users/me`)).status, 401);
  assert.equal((await fetch(`${url}/api/v1/users/me`)).status, 429);
});

test('allowed origins, the same origin, navigations and clients that are not browsers pass', async (t) => {
  const { url } = await startApp(t, { CORS_ORIGINS: ALLOWED });
  const passing: Record<string, string>[] = [
    from('cross-site', 'cors', ALLOWED),
    from('same-site', 'cors', ALLOWED),
    from('same-origin', 'cors'),
    from('none', 'navigate'),
    from('cross-site', 'navigate'),
    {},
  ];
  for (const headers of passing) assert.equal(await send(`${url}/api/v1/users/me`, headers), 401, JSON.stringify(headers));
  const refused: Record<string, string>[] = [
    from('cross-site', 'cors', 'https://evil.example'),
    from('same-site', 'cors', 'https://sibling.example.com'),
    from('cross-site', 'no-cors', 'null'),
  ];
  for (const headers of refused) assert.equal(await send(`${url}/api/v1/users/me`, headers), 403, JSON.stringify(headers));
  // A form posted from another site navigates too, but it is no link being followed.
  assert.equal(await send(`${url}/api/v1/auth/logout`, from('cross-site', 'navigate', 'https://evil.example'), 'POST'), 403);
});
