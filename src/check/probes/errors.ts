import { describeExchange, isJsonType, MALFORMED_JSON, type Exchange, type ProbeContext } from '../context.ts';
import { findLeaks } from '../leaks.ts';
import { outcome, skipped, worst, type Check, type Fix, type Outcome, type Verdict } from '../model.ts';

type StatusJudgement = { verdict: Verdict; note: string };

const ONE_MEGABYTE = 1024 * 1024;

const notRead = (status: number): StatusJudgement | undefined =>
  status === 404 || status === 405
    ? { verdict: 'warn', note: 'the body was not read at this path: give --json-path a route that reads JSON' }
    : undefined;

const serverError = (status: number): StatusJudgement | undefined =>
  status >= 500 ? { verdict: 'fail', note: "a client's mistake became a server error" } : undefined;

/** Shown at most: the first few say enough, the rest only make the line longer. */
const LEAKS_SHOWN = 3;

interface ErrorProbe {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly fix: Fix;
  readonly exchange: (context: ProbeContext) => Promise<Exchange>;
  readonly status: (status: number, headers: Readonly<Record<string, string>>) => StatusJudgement;
}

const ERROR_PROBES: readonly ErrorProbe[] = [
  {
    id: 'errors/malformed-json',
    title: 'malformed JSON is a 400',
    description: 'A body that is not valid JSON, sent as application/json, is answered 400 with a JSON problem and no internals.',
    fix: {
      text: "Map body-parser errors to a 400 problem+json in an error handler of your own: Express's default one prints the stack outside production",
      file: 'src/http/error-handler.ts',
    },
    exchange: (context) => context.shared('malformed-json'),
    status: (status) => {
      if (status === 400) return { verdict: 'pass', note: '' };
      if (status < 300) return { verdict: 'fail', note: 'malformed JSON was accepted' };
      return serverError(status) ?? notRead(status) ?? { verdict: 'warn', note: 'expected 400' };
    },
  },
  {
    id: 'errors/unknown-route',
    title: 'an unknown route is a 404',
    description: 'A path nothing serves is answered 404 with a JSON problem and no internals.',
    fix: { text: 'End the middleware stack with a 404 handler and an error handler of your own, both answering problem+json', file: 'src/app.ts' },
    exchange: (context) => context.shared('not-found'),
    status: (status) => {
      // An API that asks for credentials before routing is as good: it shows nothing either.
      if ([401, 403, 404, 410].includes(status)) return { verdict: 'pass', note: '' };
      if (status < 400) return { verdict: 'warn', note: 'an unknown path was served (a catch-all route?)' };
      return serverError(status) ?? { verdict: 'warn', note: 'expected 404' };
    },
  },
  {
    id: 'errors/wrong-method',
    title: 'a wrong method is a 405',
    description: 'PATCH (with no body) on the URL, which serves GET, is answered 405 with Allow, a JSON problem and no internals.',
    fix: { text: "Answer a known path's other methods with a 405 problem+json and Allow", file: 'src/http/method-not-allowed.ts' },
    exchange: (context) => context.send({ method: 'PATCH', path: context.plan.successPath, headers: { accept: 'application/json' } }),
    status: (status, headers) => {
      if (status === 405) return headers.allow ? { verdict: 'pass', note: '' } : { verdict: 'warn', note: '405 without an Allow header' };
      if (status === 401 || status === 403) return { verdict: 'pass', note: '' };
      if (status === 404) return { verdict: 'warn', note: 'a known path with another method should be 405 with Allow, not 404' };
      return serverError(status) ?? { verdict: 'warn', note: status < 300 ? 'the URL serves PATCH: the probe needs one that does not' : 'expected 405' };
    },
  },
  {
    id: 'errors/body-too-large',
    title: 'a body over 1 MB is a 413',
    description: 'A JSON body over 1 MB is refused with 413 as soon as the limit is passed, with a JSON problem and no internals.',
    fix: { text: 'Give the JSON parser a small limit (100kb, at most a few MB): it answers 413 without reading the rest', file: 'src/http/json-body.ts' },
    // Malformed at the end: a parser that reads it all still cannot hand a route anything to store.
    exchange: (context) =>
      context.send({
        method: 'POST',
        path: context.plan.jsonPath,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: `{"check": "${'x'.repeat(ONE_MEGABYTE)}`,
      }),
    status: (status) => {
      if (status === 413) return { verdict: 'pass', note: '' };
      if (status === 400) return { verdict: 'fail', note: 'the whole 1 MB was read and then failed to parse: the body limit is over 1 MB' };
      if (status < 300) return { verdict: 'fail', note: 'a body over 1 MB was accepted' };
      return serverError(status) ?? notRead(status) ?? { verdict: 'warn', note: 'expected 413' };
    },
  },
  {
    id: 'errors/text-plain',
    title: 'a text/plain body is a 415',
    description: 'A body sent as text/plain (what a cross-site form or fetch sends without a preflight) to a JSON route is refused with 415.',
    fix: { text: 'Refuse any body that is not application/json with 415 before reading it', file: 'src/http/json-body.ts' },
    exchange: (context) =>
      context.send({ method: 'POST', path: context.plan.jsonPath, headers: { accept: 'application/json', 'content-type': 'text/plain' }, body: MALFORMED_JSON }),
    status: (status) => {
      if (status === 415) return { verdict: 'pass', note: '' };
      if (status < 300) return { verdict: 'fail', note: 'a text/plain body was accepted: any site can send one without a preflight' };
      if (status === 400) return { verdict: 'warn', note: 'refused after reading it: refuse other content types with 415 before parsing' };
      return serverError(status) ?? notRead(status) ?? { verdict: 'warn', note: 'expected 415' };
    },
  },
];

function judge(probe: ErrorProbe, exchange: Exchange): Outcome {
  const { status, headers, body } = exchange.response;
  const contentType = headers['content-type']?.split(';')[0] ?? 'no content type';
  const head = `${describeExchange(exchange)} ${contentType}`;
  if (status === 429) return skipped(`${head}: rate limited; run again when its window has passed`);
  const statusJudgement = probe.status(status, headers);
  const leaks = findLeaks(body);
  const typeNote = isJsonType(headers['content-type']) ? undefined : 'not a JSON error';
  const verdict = worst([statusJudgement.verdict, leaks.length > 0 ? 'fail' : 'pass', typeNote ? 'warn' : 'pass']);
  const notes = [
    statusJudgement.note,
    ...leaks.slice(0, LEAKS_SHOWN).map((leak) => `${leak.what}: "${leak.excerpt}"`),
    leaks.length > LEAKS_SHOWN ? `${leaks.length - LEAKS_SHOWN} more sign(s) of internals` : undefined,
    typeNote,
  ].filter((note) => note);
  return outcome(verdict, `${head}: ${notes.length > 0 ? notes.join('; ') : 'no stack, file path or framework name'}`);
}

export const ERROR_CHECKS: readonly Check[] = ERROR_PROBES.map((probe) => ({
  id: probe.id,
  group: 'Errors',
  title: probe.title,
  description: probe.description,
  fix: probe.fix,
  run: async (context) => judge(probe, await probe.exchange(context)),
}));
