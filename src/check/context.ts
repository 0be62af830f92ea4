import type { CheckOptions } from './args.ts';
import type { Client, ReceivedResponse, SentRequest } from './client.ts';
import type { ProbePlan } from './plan.ts';

export interface Exchange {
  readonly request: SentRequest;
  readonly response: ReceivedResponse;
}

/** Requests several checks read: each is sent once per run and its answer shared. */
export type SharedExchange = 'success' | 'not-found' | 'malformed-json';

export interface ProbeContext {
  readonly plan: ProbePlan;
  readonly options: CheckOptions;
  send(request: SentRequest): Promise<Exchange>;
  shared(name: SharedExchange): Promise<Exchange>;
  /** Runs `work` once per run and shares its result with every check that asks for `key`. */
  once<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Requests left under the cap. */
  remaining(): number;
  openSocket: Client['openSocket'];
}

/** A JSON body cut off in the middle: no parser accepts it, so no route can store anything from it. */
export const MALFORMED_JSON = '{"check": "create-secure-express", "malformed":';

const SHARED: Readonly<Record<SharedExchange, (plan: ProbePlan) => SentRequest>> = {
  success: (plan) => ({ method: 'GET', path: plan.successPath, headers: { accept: 'application/json' } }),
  'not-found': (plan) => ({ method: 'GET', path: plan.notFoundPath, headers: { accept: 'application/json' } }),
  'malformed-json': (plan) => ({
    method: 'POST',
    path: plan.jsonPath,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: MALFORMED_JSON,
  }),
};

export function createProbeContext(client: Client, plan: ProbePlan, options: CheckOptions): ProbeContext {
  const results = new Map<string, Promise<unknown>>();
  const send = async (request: SentRequest): Promise<Exchange> => ({ request, response: await client.send(request) });
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
    remaining: () => client.maxRequests - client.sent,
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
