import type { Answers } from '../options/answers.ts';
import { otherNodeSwitches } from '../options/node-target.ts';
import { formatValue } from '../options/registry.ts';
import type { Output } from './output.ts';

/**
 * The last thing a run prints: what was made, the protections it has (one line each, in the words of
 * the answers), and what to do next. Pure, so every line can be checked without a run.
 */
const PROTECTIONS: readonly (readonly [string, (answers: Readonly<Answers>) => string])[] = [
  ['headers', () => 'a CSP for an API, HSTS, nosniff, no framing, no referrer, no X-Powered-By'],
  [
    'CORS',
    ({ origins }) =>
      origins.length === 0 ? 'no cross-origin access in production (CORS_ORIGINS opens it to exact origins)' : `only ${formatValue(origins)} in production`,
  ],
  ['rate limits', ({ globalLimit, authLimit, rateLimitStore }) => `${globalLimit} per client, ${authLimit} on sign-in, counted in ${rateLimitStore}`],
  [
    'client address',
    ({ trustProxy }) =>
      trustProxy === 0
        ? 'no proxy trusted: a forged X-Forwarded-For changes nothing'
        : `${trustProxy} proxy hop${trustProxy === 1 ? '' : 's'} trusted, no more: clients cannot pick their own address`,
  ],
  ['input', ({ bodyLimit }) => `JSON bodies up to ${bodyLimit}, strict schemas, nothing reaches Object.prototype`],
  [
    'sessions',
    ({ session }) =>
      session === 'cookie'
        ? 'an HttpOnly __Host- cookie, stored as a hash, idle and absolute expiry; unsafe requests only from allowed origins'
        : 'opaque bearer tokens, stored as hashes, idle and absolute expiry',
  ],
  ['passwords', ({ node }) => `${node === 24 ? 'argon2id' : 'scrypt'} at OWASP's settings, under a concurrency cap; sign-in failures counted per account`],
  ['access', () => 'every route states who may call it: anyone, signed in, the owner or admins'],
  ['data', ({ db }) => `${db === 'postgres' ? 'PostgreSQL' : 'SQLite (node:sqlite)'}, parameterized queries only, migrations applied at start`],
  ['errors', () => 'RFC 9457 problem responses, never a stack trace in production'],
  ['server', () => 'header and request timeouts, graceful shutdown, liveness and readiness probes'],
];

/** A path as a shell reads it: quoted when it holds anything but plain characters (`cd 'Über API!'`). */
export const shellWord = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

export interface ClosingInput {
  /** The project folder as the user would type it (`.` for the current one). */
  readonly target: string;
  readonly answers: Readonly<Answers>;
  readonly installed: boolean;
  /** This machine's Node.js when it is older than the project needs (see node-target.ts). */
  readonly oldNode?: string;
}

/** Each step is a command and what it is for. The test script goes through `run`: `bun test` is Bun's own runner. */
export function nextSteps({ target, answers, installed, oldNode }: ClosingInput): (readonly [string, string])[] {
  const { pm, node, port } = answers;
  const steps: (readonly [string, string] | undefined)[] = [
    target === '.' ? undefined : [`cd ${shellWord(target)}`, ''],
    oldNode ? ['nvm use', `switches to Node ${node} as .nvmrc says (this is Node ${oldNode}); without nvm: ${otherNodeSwitches(node)}`] : undefined,
    installed ? undefined : [`${pm} install`, ''],
    answers.db === 'postgres' ? ['cp .env.example .env', 'then set DATABASE_URL in .env: the API needs a PostgreSQL to start'] : undefined,
    [`${pm} run dev`, `starts the API on http://127.0.0.1:${port}, restarting on changes`],
    [`${pm} run test`, 'runs the tests that prove each protection'],
  ];
  return steps.filter((step) => step !== undefined);
}

const columns = (rows: readonly (readonly [string, string])[], left: (text: string) => string, right: (text: string) => string) => {
  const width = Math.max(...rows.map(([first]) => first.length)) + 2;
  return rows.map(([first, second]) => `  ${second ? `${left(first.padEnd(width))}${right(second)}` : left(first)}`);
};

export function closingMessage(out: Output, input: ClosingInput): string {
  const { answers } = input;
  const same = (text: string) => text;
  return [
    '',
    `${out.bold(answers.name)} is an Express 5 + TypeScript JSON API for Node ${answers.node}. Its protections, each with a test:`,
    ...columns(PROTECTIONS.map(([name, describe]) => [name, describe(answers)] as const), same, same),
    '',
    out.bold('Next steps:'),
    ...columns(nextSteps(input), out.cyan, out.dim),
  ].join('\n');
}
