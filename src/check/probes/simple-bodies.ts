import { describeExchange, listed, MALFORMED_JSON, type Exchange } from '../context.ts';
import { fail, pass, skipped, warn, type Check } from '../model.ts';
import { ATTACKER } from '../plan.ts';
import { isLimited } from '../proxy.ts';

const BOUNDARY = 'cse-check-boundary';

/**
 * The bodies a page on another site can make a browser send without a preflight (CORS "simple"
 * requests): a form posts urlencoded or multipart, and fetch posts text/plain. A JSON route that
 * accepts one acts on a request the visitor never meant to make. Each comes with the hostile Origin a
 * browser would attach; none could be stored as valid data.
 */
const SIMPLE_BODIES: readonly { type: string; body: string }[] = [
  { type: 'text/plain', body: MALFORMED_JSON },
  { type: 'application/x-www-form-urlencoded', body: 'check=create-secure-express' },
  {
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="check"\r\n\r\ncreate-secure-express\r\n--${BOUNDARY}--\r\n`,
  },
];

export const SIMPLE_BODY_CHECK: Check = {
  id: 'csrf/simple-body',
  group: 'Errors',
  title: 'form and text/plain bodies are refused',
  description:
    'A text/plain, form-urlencoded or multipart body (what another site can send without a preflight) sent to a JSON route from another origin is refused (415, 403 or another 4xx), not acted on.',
  severity: 'medium',
  fix: { text: 'Refuse any body that is not application/json with 415 before routing, and check Origin on requests that change something', file: 'src/http/json-body.ts' },
  async run(context) {
    const { json } = context.plan;
    const exchanges: Exchange[] = [];
    for (const { type, body } of SIMPLE_BODIES) {
      exchanges.push(await context.send({ method: json.method, path: json.path, headers: { accept: 'application/json', 'content-type': type, origin: `https://${ATTACKER}` }, body }));
    }
    if (exchanges.every(({ response }) => response.status === 429)) return skipped(`${json.method} ${json.path}: every request was rate limited (429)`);
    // A 5xx is a refusal badly answered (the error checks judge that), not a body acted on.
    const reached = exchanges.filter(({ response }) => response.status < 300);
    const type = (exchange: Exchange) => exchange.request.headers?.['content-type']?.split(';')[0] ?? '';
    const statuses = exchanges.map((exchange) => `${type(exchange)} → ${exchange.response.status}`).join(', ');
    // Not a route, or one that wants credentials first: refused before anything looked at the body,
    // which says nothing about what a route that reads bodies does with one.
    if (exchanges.every(({ response }) => [401, 404, 405, 429].includes(response.status))) {
      return skipped(`${json.method} ${json.path}: ${statuses}: refused before the body was read (not a route, or credentials first): give --json-path a public route that reads JSON (or --openapi)`);
    }
    // A body the limiter answered (a 429, or the proxy's 503 page) was never shown to the route: what
    // the route does with it is unknown.
    if (reached.length === 0 && exchanges.some(isLimited)) {
      return skipped(`${json.method} ${json.path}: ${statuses}: rate limited before every body was judged; run again when its window has passed`);
    }
    if (reached.length === 0) return pass(`${json.method} ${json.path}: ${statuses}`);
    // A route that answers the same with no body at all never read the body (a catch-all).
    const baseline = await context.shared('no-body');
    const acted = reached.filter(({ response }) => response.status !== baseline.response.status);
    if (acted.length === 0) {
      const same = `${json.method} ${json.path}: ${statuses}, and ${describeExchange(baseline)} with no body: the route answers the same whatever is sent`;
      // The unknown path answered by a catch-all (a docs page at /) is no route of the API: nothing learnt.
      if (json.path === context.plan.notFoundPath) return skipped(`${same} (a catch-all): give --json-path a route that reads JSON (or --openapi)`);
      // A route of the API that succeeds with any body or none either ignores bodies or acts on any
      // POST, which a page on another site can send as well: which one cannot be told from outside.
      return warn(`${same}: it ignores the body, or acts on any ${json.method} from any site; only what it did would tell`, { path: json.path });
    }
    return fail(`${json.method} ${json.path} from Origin https://${ATTACKER}: ${listed(acted.map((exchange) => `${type(exchange)} → ${exchange.response.status}`))} (with no body: ${baseline.response.status}): the route acted on a body another site can send`, { path: json.path });
  },
};
