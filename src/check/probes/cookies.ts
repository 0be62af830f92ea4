import type { ReceivedResponse } from '../client.ts';
import { listed } from '../context.ts';
import { fail, pass, skipped, warn, type Check } from '../model.ts';

/** A cookie a page's script is meant to read (a double-submit CSRF token) may go without HttpOnly. */
const READ_BY_SCRIPTS = /csrf|xsrf/i;

/** Each Set-Cookie of a response: Node joins repeated headers with ", ", which an Expires date also contains. */
function setCookies(response: ReceivedResponse): string[] {
  const header = response.headers['set-cookie'];
  return header === undefined ? [] : header.split(/, (?=[^;,=\s]+=)/);
}

/** What is wrong with one Set-Cookie, as the HTTP Observatory and the cookie prefixes' rules judge it. */
function problems(setCookie: string): string[] {
  const [pair = '', ...attributeList] = setCookie.split(';').map((part) => part.trim());
  const name = pair.slice(0, pair.indexOf('='));
  const attributes = new Map(attributeList.map((attribute) => {
    const [key = '', value = ''] = attribute.split('=');
    return [key.toLowerCase(), value] as const;
  }));
  const sameSite = attributes.get('samesite')?.toLowerCase();
  const found = [
    attributes.has('secure') ? undefined : 'no Secure',
    attributes.has('httponly') || READ_BY_SCRIPTS.test(name) ? undefined : 'no HttpOnly',
    sameSite === undefined ? 'no SameSite' : sameSite === 'none' ? 'SameSite=None' : undefined,
    name.startsWith('__Host-') && (attributes.has('domain') || attributes.get('path') !== '/') ? '__Host- without Path=/ or with a Domain' : undefined,
  ].filter((problem) => problem !== undefined);
  return found.map((problem) => `${name}: ${problem}`);
}

/**
 * A Set-Cookie that deletes its cookie (res.clearCookie: no value, an expiry in the past, or Max-Age
 * 0 or less) stores nothing for a thief to read or a page to send: its attributes do not matter.
 */
function deletes(setCookie: string): boolean {
  const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
  if (pair.slice(pair.indexOf('=') + 1).replace(/^"(.*)"$/, '$1') === '') return true;
  return attributes.some((attribute) => {
    const [key = '', value = ''] = attribute.split(/=(.*)/s);
    if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
    return key.toLowerCase() === 'expires' && Date.parse(value) < Date.now();
  });
}

export const COOKIE_CHECK: Check = {
  id: 'cookies/attributes',
  group: 'Cookies',
  title: 'cookies are Secure, HttpOnly, SameSite',
  description: 'Every cookie the API sets is Secure, HttpOnly (unless scripts must read it), SameSite Lax or Strict, and a __Host- cookie has Path=/ and no Domain.',
  severity: 'medium',
  fix: { text: "Set cookies with Secure, HttpOnly and SameSite=Lax (or Strict), named __Host-<name> with Path=/ and no Domain", file: 'src/auth/sessions.ts' },
  async run(context) {
    const all = context.exchanges().flatMap((exchange) => setCookies(exchange.response).map((setCookie) => ({ exchange, setCookie })));
    const cookies = all.filter(({ setCookie }) => !deletes(setCookie));
    if (all.length === 0) return skipped('no response of the run set a cookie');
    if (cookies.length === 0) {
      return skipped(`the run's responses only deleted cookies (${listed([...new Set(all.map(({ setCookie }) => setCookie.slice(0, setCookie.indexOf('='))))])}): nothing stored to judge`);
    }
    const found = cookies.flatMap(({ exchange, setCookie }) => problems(setCookie).map((problem) => ({ exchange, problem })));
    const names = [...new Set(cookies.map(({ setCookie }) => setCookie.slice(0, setCookie.indexOf('='))))];
    if (found.length === 0) return pass(`${listed(names)}: Secure, HttpOnly, SameSite`);
    const first = found[0]?.exchange;
    const evidence = `${listed(found.map(({ problem }) => problem), 4)} (set by ${first?.request.method} ${first?.request.path})`;
    // Over http a cookie that browsers would keep cannot be Secure, and one set Secure only over https
    // (express-session's secure: 'auto') shows none here: the https URL tells.
    if (context.plan.url.protocol === 'http:' && found.every(({ problem }) => problem.endsWith(': no Secure'))) {
      return warn(`${evidence}: set over http, where Secure cannot be seen (a cookie marked Secure only over https, as express-session's secure: 'auto' does, shows none): check the https URL`, {
        path: first?.request.path,
        severity: 'low',
      });
    }
    return fail(evidence, { path: first?.request.path });
  },
};
