import type { ReceivedResponse, SentRequest } from '../client.ts';
import { fail, pass, skipped, type Check, type Outcome } from '../model.ts';
import { HOSTILE_ORIGINS, type ProbePlan } from '../plan.ts';

/**
 * What a browser would send from a hostile page: a plain GET, the same GET with the visitor's cookie
 * (a credentialed request), and the preflight that comes before a JSON POST. The API must answer none
 * of them with an Access-Control-Allow-Origin that lets the page read the response.
 */
const REQUESTS: readonly { label: string; request: (plan: ProbePlan, origin: string) => SentRequest }[] = [
  { label: 'GET', request: (plan, origin) => ({ method: 'GET', path: plan.successPath, headers: { origin } }) },
  {
    label: 'GET with a cookie',
    request: (plan, origin) => ({ method: 'GET', path: plan.successPath, headers: { origin, cookie: 'check=create-secure-express' } }),
  },
  {
    label: 'preflight',
    request: (plan, origin) => ({
      method: 'OPTIONS',
      path: plan.successPath,
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    }),
  },
];

/** Why a response lets a hostile page read it, or undefined when it does not. */
function exposure(response: ReceivedResponse, origin: string): string | undefined {
  const allowOrigin = response.headers['access-control-allow-origin']?.trim();
  if (allowOrigin === undefined || (allowOrigin !== origin && allowOrigin !== '*')) return undefined;
  const credentials = response.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
  return `Access-Control-Allow-Origin: ${allowOrigin}${credentials ? ' with Allow-Credentials: true' : ''}`;
}

const EXAMPLE_ALLOWED = new URL('https://app.example.com');

function corsCheck(hostile: (typeof HOSTILE_ORIGINS)[number]): Check {
  return {
    id: `cors/${hostile.id}`,
    group: 'CORS',
    title: `CORS refuses ${hostile.title}`,
    description: `A page on ${hostile.title} (such as ${hostile.make(EXAMPLE_ALLOWED)} for an API that allows ${EXAMPLE_ALLOWED.origin}) must not be allowed to read the API's responses, with or without credentials, on a simple request or after a preflight.`,
    fix: {
      text: 'Compare Origin with an exact allowlist and send no Access-Control-Allow-* header to any other origin: never reflect it, never send *',
      file: 'src/security/cors.ts',
    },
    async run(context): Promise<Outcome> {
      const origin = context.plan.hostileOrigins.find((candidate) => candidate.id === hostile.id)?.origin;
      if (origin === undefined) throw new Error(`no ${hostile.id} origin in the plan`);
      const answers: { label: string; response: ReceivedResponse }[] = [];
      for (const { label, request } of REQUESTS) answers.push({ label, response: (await context.send(request(context.plan, origin))).response });
      const statuses = answers.map(({ label, response }) => `${label} → ${response.status}`).join(', ');
      if (answers.every(({ response }) => response.status === 429)) return skipped(`Origin: ${origin}: every request was rate limited (429)`);
      const exposed = answers.flatMap(({ label, response }) => {
        const reason = exposure(response, origin);
        return reason ? [`${label} → ${reason}`] : [];
      });
      if (exposed.length > 0) return fail(`Origin: ${origin}: ${exposed.join('; ')}`);
      return pass(`Origin: ${origin}: no Access-Control-Allow-Origin (${statuses})`);
    },
  };
}

export const CORS_CHECKS: readonly Check[] = HOSTILE_ORIGINS.map(corsCheck);
