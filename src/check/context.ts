import type { CheckOptions } from './args.ts';
import type { Client, ReceivedResponse, SentRequest } from './client.ts';
import type { ProbePlan } from './plan.ts';

export interface Exchange {
  readonly request: SentRequest;
  readonly response: ReceivedResponse;
}

/** Requests several checks read: each is sent once per run and its answer shared. */
export type SharedExchange = 'not-found' | 'malformed-json' | 'no-body';

export interface ProbeContext {
  readonly plan: ProbePlan;
  readonly options: CheckOptions;
  send(request: SentRequest): Promise<Exchange>;
  shared(name: SharedExchange): Promise<Exchange>;
  /** The GET of one of the URLs named (sent first of all, to check that the API is there). */
  success(path: string): Promise<Exchange>;
  /** Runs `work` once per run and shares its result with every check that asks for `key`. */
  once<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Every exchange of the run so far, in order: the header and cookie checks read them all. */
  exchanges(): readonly Exchange[];
  /** Requests left under the cap. */
  remaining(): number;
  localAddress: Client['localAddress'];
  openSocket: Client['openSocket'];
}

/** A JSON body cut off in the middle: no parser accepts it, so no route can store anything from it. */
export const MALFORMED_JSON = '{"check": "create-secure-express", "malformed":';

/**
 * Headers of a request with a body, as the API's own front end would send it: with the allowed
 * origin, which a cookie-session API's CSRF check asks for before it reads anything.
 */
export function bodyHeaders(plan: ProbePlan, contentType: string): Record<string, string> {
  return { accept: 'application/json', 'content-type': contentType, ...(plan.allowedOrigin ? { origin: plan.allowedOrigin } : {}) };
}

const SHARED: Readonly<Record<SharedExchange, (plan: ProbePlan) => SentRequest>> = {
  'not-found': (plan) => ({ method: 'GET', path: plan.notFoundPath, headers: { accept: 'application/json' } }),
  'malformed-json': (plan) => ({ method: plan.json.method, path: plan.json.path, headers: bodyHeaders(plan, 'application/json'), body: MALFORMED_JSON }),
  // What the body route answers with no body at all: the baseline that tells a route that reads
  // bodies from one that answers the same whatever is sent (a catch-all).
  'no-body': (plan) => {
    const { 'content-type': _type, ...headers } = bodyHeaders(plan, '');
    return { method: plan.json.method, path: plan.json.path, headers };
  },
};

export function createProbeContext(client: Client, plan: ProbePlan, options: CheckOptions): ProbeContext {
  const results = new Map<string, Promise<unknown>>();
  const log: Exchange[] = [];
  const send = async (request: SentRequest): Promise<Exchange> => {
    const exchange = { request, response: await client.send(request) };
    log.push(exchange);
    return exchange;
  };
  const once = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    if (!results.has(key)) results.set(key, work());
    return results.get(key) as Promise<T>;
  };
  return {
    plan,
    options,
    send,
    once,
    shared: (name) => once(`shared:${name}`, () => send(SHARED[name](plan))),
    success: (path) => once(`success:${path}`, () => send({ method: 'GET', path, headers: { accept: 'application/json' } })),
    exchanges: () => log,
    remaining: () => client.maxRequests - client.sent,
    localAddress: () => client.localAddress(),
    openSocket: () => client.openSocket(),
  };
}

/** `GET /healthz → 200`: how evidence names an exchange. */
export function describeExchange({ request, response }: Exchange): string {
  return `${request.method} ${request.path} → ${response.status}`;
}

export function isJsonType(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType ?? '');
}

/** Up to `shown` items, then how many more. */
export function listed(items: readonly string[], shown = 3): string {
  const unique = [...new Set(items)];
  return unique.length > shown ? `${unique.slice(0, shown).join(', ')} and ${unique.length - shown} more` : unique.join(', ');
}
