import type { Answers, DatabaseEngine, PackageManager, SessionTransport } from './answers.ts';
import { RATE_LIMIT_TIERS } from './tiers.ts';
import {
  parseBodyLimit,
  parseBoolean,
  parseChoice,
  parseInteger,
  parseLimit,
  parseOriginList,
  parsePackageName,
  toPackageName,
} from './validators.ts';

/**
 * The one table of options. Flags, `--help`, prompts, defaults, validation, the answers file and the
 * tests all read it: adding an option is adding an entry here. Its order is the order of the prompts.
 */
export type AnswerKey = keyof Answers;

export interface DefaultContext {
  /** Base name of the target folder. */
  readonly folder: string;
  /** Answers resolved so far (options earlier in the table). */
  readonly answers: Partial<Answers>;
  /** `npm_config_user_agent`, set by the package manager that launched us. */
  readonly userAgent: string | undefined;
}

export interface PromptSpec {
  readonly message: string;
  readonly type: 'input' | 'confirm' | 'select';
  readonly choices?: readonly string[];
  /** A line shown before the question, when the answer deserves a reason. */
  readonly why?: string;
  /** Asked only after the user agrees to adjust the values their earlier choice implied. */
  readonly adjustable?: boolean;
}

export interface OptionSpec<K extends AnswerKey = AnswerKey> {
  readonly key: K;
  readonly flag: string;
  readonly kind: 'value' | 'boolean';
  readonly placeholder?: string;
  readonly help: string;
  readonly parse: (value: unknown) => Answers[K];
  readonly defaultValue: (context: DefaultContext) => Answers[K];
  /** How `--help` describes a default that depends on the run. */
  readonly defaultHelp?: string;
  readonly prompt?: PromptSpec;
  /**
   * A rule across answers: the reason this value cannot go with the answers before it in the table, or
   * undefined when it can. Checked whatever the value's source; a prompt only offers allowed values.
   */
  readonly conflict?: (value: Answers[K], answers: Partial<Answers>) => string | undefined;
}

const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const satisfies readonly PackageManager[];
const DATABASE_ENGINES = ['sqlite', 'postgres'] as const satisfies readonly DatabaseEngine[];
const SESSION_TRANSPORTS = ['bearer', 'cookie'] as const satisfies readonly SessionTransport[];

function detectPackageManager(userAgent: string | undefined): PackageManager {
  const launcher = userAgent?.split('/')[0];
  return PACKAGE_MANAGERS.find((pm) => pm === launcher) ?? 'npm';
}

const tierOf = (answers: Partial<Answers>) => RATE_LIMIT_TIERS[answers.rateLimit ?? 'standard'];

const option = <K extends AnswerKey>(spec: OptionSpec<K>): OptionSpec<K> => Object.freeze(spec);

export const OPTIONS = Object.freeze([
  option({
    key: 'name',
    flag: 'name',
    kind: 'value',
    placeholder: '<pkg>',
    help: 'package name; must be a valid npm name',
    parse: parsePackageName,
    defaultValue: ({ folder }) => toPackageName(folder),
    defaultHelp: 'the folder name',
  }),
  option({
    key: 'origins',
    flag: 'origins',
    kind: 'value',
    placeholder: '<list>',
    help: 'production CORS allowlist, comma-separated https origins; none means no cross-origin access',
    parse: parseOriginList(true),
    defaultValue: () => [],
    prompt: { type: 'input', message: 'Production origins allowed to call the API (comma-separated, empty for none)' },
  }),
  option({
    key: 'devOrigins',
    flag: 'dev-origins',
    kind: 'value',
    placeholder: '<list>',
    help: 'development CORS allowlist, comma-separated origins',
    parse: parseOriginList(false),
    defaultValue: () => ['http://localhost:3000', 'http://localhost:5173'],
    prompt: { type: 'input', message: 'Development origins (comma-separated)' },
  }),
  option({
    key: 'session',
    flag: 'session',
    kind: 'value',
    placeholder: '<transport>',
    help: 'how clients send their session: bearer (Authorization header) or cookie (HttpOnly __Host- cookie, for browser apps)',
    parse: parseChoice(SESSION_TRANSPORTS),
    defaultValue: () => 'bearer',
    prompt: { type: 'select', message: 'Sessions', choices: SESSION_TRANSPORTS },
  }),
  option({
    key: 'credentials',
    flag: 'credentials',
    kind: 'boolean',
    help: 'allow cookies on cross-origin requests (what a cookie session needs from another origin)',
    parse: parseBoolean,
    defaultValue: ({ answers }) => answers.session === 'cookie',
    defaultHelp: 'yes with --session cookie, else no',
    prompt: { type: 'confirm', message: 'Allow cross-origin requests with cookies or Authorization (credentials)?' },
  }),
  option({
    key: 'rateLimit',
    flag: 'rate-limit',
    kind: 'value',
    placeholder: '<tier>',
    help: `rate-limit tier: ${Object.entries(RATE_LIMIT_TIERS)
      .map(([tier, { global, auth }]) => `${tier} (global ${global}, auth ${auth})`)
      .join(', ')}`,
    parse: parseChoice(['strict', 'standard', 'relaxed'] as const),
    defaultValue: () => 'standard',
    prompt: { type: 'select', message: 'Rate-limit tier', choices: ['strict', 'standard', 'relaxed'] },
  }),
  option({
    key: 'globalLimit',
    flag: 'global-limit',
    kind: 'value',
    placeholder: '<max/window>',
    help: "global limit per client, e.g. 100/15m; windows in s, m or h",
    parse: parseLimit,
    defaultValue: ({ answers }) => tierOf(answers).global,
    defaultHelp: "the tier's",
    prompt: { type: 'input', message: 'Global limit per client (max/window)', adjustable: true },
  }),
  option({
    key: 'authLimit',
    flag: 'auth-limit',
    kind: 'value',
    placeholder: '<max/window>',
    help: 'limit on /api/v1/auth/* per client and per account, e.g. 5/15m',
    parse: parseLimit,
    defaultValue: ({ answers }) => tierOf(answers).auth,
    defaultHelp: "the tier's",
    prompt: { type: 'input', message: 'Auth limit per client and account (max/window)', adjustable: true },
  }),
  option({
    key: 'db',
    flag: 'db',
    kind: 'value',
    placeholder: '<engine>',
    help: "database: sqlite (Node's built-in, a file, one instance) or postgres (any number of instances)",
    parse: parseChoice(DATABASE_ENGINES),
    defaultValue: () => 'sqlite',
    prompt: { type: 'select', message: 'Database', choices: DATABASE_ENGINES },
  }),
  option({
    key: 'rateLimitStore',
    flag: 'rate-limit-store',
    kind: 'value',
    placeholder: '<store>',
    help: 'where limits are counted: memory (one instance) or redis (shared by all instances)',
    parse: parseChoice(['memory', 'redis'] as const),
    defaultValue: () => 'memory',
    prompt: { type: 'select', message: 'Rate-limit store', choices: ['memory', 'redis'] },
    conflict: (store, { db }) =>
      store === 'redis' && db === 'sqlite'
        ? 'redis shares limits between several instances, but --db sqlite keeps the data in one instance\'s file: use --db postgres with it, or keep --rate-limit-store memory'
        : undefined,
  }),
  option({
    key: 'node',
    flag: 'node',
    kind: 'value',
    placeholder: '<major>',
    help: 'Node.js LTS the project targets: 22 or 24',
    parse: parseChoice([24, 22] as const),
    defaultValue: () => 24,
    prompt: { type: 'select', message: 'Node.js version', choices: ['24', '22'] },
  }),
  option({
    key: 'port',
    flag: 'port',
    kind: 'value',
    placeholder: '<n>',
    help: 'port the server listens on, 1-65535',
    parse: parseInteger(1, 65_535),
    defaultValue: () => 3000,
    prompt: { type: 'input', message: 'Port' },
  }),
  option({
    key: 'trustProxy',
    flag: 'trust-proxy',
    kind: 'value',
    placeholder: '<hops>',
    help: 'reverse proxies in front of the app, an integer 0-10 (never "true")',
    parse: parseInteger(0, 10),
    defaultValue: () => 0,
    prompt: {
      type: 'input',
      message: 'Reverse proxies in front of the app (hops)',
      why: 'Rate limits key on the client address; trusting more hops than you have lets clients forge it.',
    },
  }),
  option({
    key: 'bodyLimit',
    flag: 'body-limit',
    kind: 'value',
    placeholder: '<size>',
    help: 'largest JSON body accepted, from 1kb to 5mb',
    parse: parseBodyLimit,
    defaultValue: () => '100kb',
  }),
  option({
    key: 'docker',
    flag: 'docker',
    kind: 'boolean',
    help: 'add a Dockerfile and .dockerignore',
    parse: parseBoolean,
    defaultValue: () => true,
    prompt: { type: 'confirm', message: 'Add a Dockerfile?' },
  }),
  option({
    key: 'pm',
    flag: 'pm',
    kind: 'value',
    placeholder: '<npm|pnpm|yarn|bun>',
    help: 'package manager for the install',
    parse: parseChoice(PACKAGE_MANAGERS),
    defaultValue: ({ userAgent }) => detectPackageManager(userAgent),
    defaultHelp: 'the one that launched us, else npm',
    prompt: { type: 'select', message: 'Package manager', choices: PACKAGE_MANAGERS },
  }),
  option({
    key: 'install',
    flag: 'install',
    kind: 'boolean',
    help: 'install dependencies',
    parse: parseBoolean,
    defaultValue: () => true,
    prompt: { type: 'confirm', message: 'Install dependencies now?' },
  }),
  option({
    key: 'git',
    flag: 'git',
    kind: 'boolean',
    help: 'git init and a first commit',
    parse: parseBoolean,
    defaultValue: () => true,
    prompt: { type: 'confirm', message: 'Initialise a git repository with a first commit?' },
  }),
]) as readonly OptionSpec[];

/** How a value reads in help, summaries and prompt defaults. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export const optionByKey = (key: string): OptionSpec | undefined => OPTIONS.find((spec) => spec.key === key);
