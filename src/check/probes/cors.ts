import type { SentRequest } from '../client.ts';
import { listed, type Exchange, type ProbeContext } from '../context.ts';
import { fail, pass, skipped, type Check, type Outcome } from '../model.ts';
import { ATTACKER, HOSTILE_ORIGINS } from '../plan.ts';
import { isLimited } from '../proxy.ts';

/**
 * What a browser would send from a hostile page: a plain GET (with or without the visitor's cookie:
 * the server cannot tell, so one is enough) and the preflight that comes before a JSON POST. The API
 * must answer neither with an Access-Control-Allow-Origin that names the hostile origin.
 */
const get = (path: string, origin: string): SentRequest => ({ method: 'GET', path, headers: { accept: 'application/json', origin } });
const preflight = (path: string, origin: string): SentRequest => ({
  method: 'OPTIONS',
  path,
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});

const allowOrigin = ({ response }: Exchange) => response.headers['access-control-allow-origin']?.trim();
const withCredentials = ({ response }: Exchange) => response.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';

const EXAMPLE_ALLOWED = new URL('https://app.example.com');

/**
 * The requests for one hostile origin: GET and preflight on the first path. On the other paths (the
 * document's) another site gets both and the null origin a GET: a route may carry its own CORS
 * policy. The look-alikes test an allowlist's matching, which is the app's: the first path is enough.
 */
function requestsFor(context: ProbeContext, id: string, origin: string): SentRequest[] {
  return context.plan.paths.flatMap((path, index) => {
    if (index === 0 || id === 'other-site') return [get(path, origin), preflight(path, origin)];
    return id === 'null' ? [get(path, origin)] : [];
  });
}

/** The answers to one hostile origin, sent once per run (cors/other-site's are read by the others). */
function probeOrigin(context: ProbeContext, id: string, origin: string): Promise<Exchange[]> {
  return context.once(`cors:${id}`, async () => {
    const exchanges: Exchange[] = [];
    for (const request of requestsFor(context, id, origin)) exchanges.push(await context.send(request));
    return exchanges;
  });
}

async function pathsAllowingAnyOrigin(context: ProbeContext): Promise<Set<string>> {
  const origin = `https://${ATTACKER}`;
  const exchanges = await probeOrigin(context, 'other-site', origin);
  return new Set(exchanges.filter((exchange) => allowOrigin(exchange) === origin).map(({ request }) => request.path));
}

function corsCheck(hostile: (typeof HOSTILE_ORIGINS)[number]): Check {
  const lookAlike = hostile.make(undefined) === undefined;
  return {
    id: `cors/${hostile.id}`,
    group: 'CORS',
    title: `CORS refuses ${hostile.title}`,
    description: `A page on ${hostile.title} (such as ${hostile.make(EXAMPLE_ALLOWED)}${lookAlike ? ` for an API that allows ${EXAMPLE_ALLOWED.origin}` : ''}) is not named in Access-Control-Allow-Origin, on a simple request or after a preflight, on any path probed.`,
    severity: 'high',
    fix: {
      text: 'Compare Origin with an exact allowlist (whole strings, or a regex anchored at both ends) and send no Access-Control-Allow-* header to any other origin: never reflect it',
      file: 'src/security/cors.ts',
    },
    async run(context): Promise<Outcome> {
      const origin = context.plan.hostileOrigins.find((candidate) => candidate.id === hostile.id)?.origin;
      if (origin === undefined) {
        return skipped('not run: a look-alike is made from an origin the API allows, and a guess would prove nothing: give --origin <an allowed origin>');
      }
      const exchanges = await probeOrigin(context, hostile.id, origin);
      if (exchanges.every(isLimited)) return skipped(`Origin: ${origin}: every request was rate limited`);
      // A path that lets any site in is one cause, reported once by cors/other-site.
      const anyOrigin = hostile.id === 'other-site' ? new Set<string>() : await pathsAllowingAnyOrigin(context);
      const allowed = exchanges.filter((exchange) => allowOrigin(exchange) === origin);
      const reflected = allowed.filter(({ request }) => !anyOrigin.has(request.path));
      if (reflected.length === 0 && allowed.length === exchanges.length) {
        // Nothing refused it: a pass would say a hole is closed that cors/other-site reports open.
        return skipped(`Origin: ${origin} is allowed wherever it was sent, as any origin is: ${listed([...anyOrigin])} lets any origin in (see cors/other-site)`);
      }
      if (reflected.length === 0) {
        const wildcard = exchanges.some((exchange) => allowOrigin(exchange) === '*') ? ' by name (Access-Control-Allow-Origin: *, see cors/wildcard)' : '';
        const covered = allowed.length > 0 ? `; ${listed([...anyOrigin])} lets any origin in (see cors/other-site)` : '';
        const paths = [...new Set(exchanges.map(({ request }) => request.path))];
        return pass(`Origin: ${origin}: not allowed${wildcard} on ${exchanges.length - allowed.length} requests to ${listed(paths)}${covered}`);
      }
      const credentialed = reflected.some(withCredentials);
      const where = listed(reflected.map(({ request }) => `${request.method === 'OPTIONS' ? 'preflight' : request.method} ${request.path}`), 4);
      // A preflight alone lets the page send the request (a JSON POST with the visitor's cookies: CSRF)
      // but not read an answer that does not allow it too.
      const preflightOnly = reflected.every(({ request }) => request.method === 'OPTIONS');
      const why = !credentialed
        ? ' (without credentials)'
        : preflightOnly
          ? " with Allow-Credentials: true by the preflight (its pages send any request with the visitor's cookies, a JSON POST included, though they read no answer that does not allow them too)"
          : ' with Allow-Credentials: true (its pages read what a signed-in visitor sees)';
      return fail(`Origin: ${origin} is allowed${why}: ${where}`, {
        path: reflected[0]?.request.path,
        severity: credentialed ? 'high' : 'medium',
      });
    },
  };
}

/**
 * `Access-Control-Allow-Origin: *`: one cause, one finding however many responses carry it. Browsers
 * never send cookies with it, so it exposes only what needs no credentials; still, nothing an API
 * serves to its own front ends needs every site on the web to read it.
 */
const WILDCARD_CHECK: Check = {
  id: 'cors/wildcard',
  group: 'CORS',
  title: 'no Access-Control-Allow-Origin: *',
  description: 'No response allows every origin with Access-Control-Allow-Origin: *.',
  severity: 'low',
  fix: { text: 'Replace Access-Control-Allow-Origin: * (cors() with no options) with the exact origins of your front ends', file: 'src/security/cors.ts' },
  async run(context) {
    const wildcard = context.exchanges().filter((exchange) => allowOrigin(exchange) === '*');
    if (wildcard.length === 0) return pass('no response carried Access-Control-Allow-Origin: *');
    return fail(
      `Access-Control-Allow-Origin: * on ${listed(wildcard.map(({ request }) => `${request.method} ${request.path}`))}: any site can read what these answer without credentials (browsers send no cookie with *)`,
      { path: wildcard[0]?.request.path },
    );
  },
};

export const CORS_CHECKS: readonly Check[] = [...HOSTILE_ORIGINS.map(corsCheck), WILDCARD_CHECK];
