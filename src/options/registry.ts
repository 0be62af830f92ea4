import type { Answers, DatabaseEngine, PackageManager, RateLimitTier, SessionTransport } from './answers.ts';
import { nodeFloorAbove, switchNodeAdvice } from './node-target.ts';
import { RATE_LIMIT_TIERS } from './tiers.ts';
import {
  limitRate,
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
 * tests all read it: adding an option is adding an entry here. Its order is the order of the prompts:
 * the few asked up front, then any the user picks to change from the summary.
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
  /** What a choice means, shown beside it: `standard` -> `global 100/15m, auth 5/15m`. */
  readonly describeChoice?: (choice: string) => string;
  /** A line shown before the question, when the answer deserves a reason. */
  readonly why?: string;
  /**
   * Asked before the summary, because no default is safe for everyone (or, as a function, not in this
   * run). Every other option takes its default and stays one "Change something" away; without a
   * terminal, these are the ones a run without --yes must be given.
   */
  readonly upFront?: boolean | ((context: DefaultContext) => boolean);
}

/** What the machine running the generator has, for cautions about it. */
export interface RunningOn {
  /** `process.versions.node`. */
  readonly node: string;
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
  /** A word about a value that is allowed but probably not meant; shown before anything is written. */
  readonly caution?: (value: Answers[K], answers: Partial<Answers>, running: RunningOn) => string | undefined;
  /**
   * A built-in file this option adds when it is on. A team template that removes the file turns the
   * option off for good (locked to no), so the question, the summary and the docs all agree with it.
   */
  readonly addsFile?: string;
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
    prompt: {
      type: 'input',
      message: 'Package name',
      why: 'npm package names are lowercase letters, digits and - . _ ~, with an optional @scope/.',
      upFront: ({ folder }) => toPackageName(folder) !== folder,
    },
  }),
  option({
    key: 'origins',
    flag: 'origins',
    kind: 'value',
    placeholder: '<list>',
    help: 'production CORS allowlist, comma-separated https origins; none means no cross-origin access',
    parse: parseOriginList(true),
    defaultValue: () => [],
    prompt: {
      type: 'input',
      message: 'Production origins allowed to call the API (comma-separated, empty for none)',
      why: 'The browser apps that may call this API from another origin, such as https://app.example.com.',
      upFront: true,
    },
  }),
  option({
    key: 'devOrigins',
    flag: 'dev-origins',
    kind: 'value',
    placeholder: '<list>',
    help: 'development CORS allowlist, comma-separated origins',
    parse: parseOriginList(false),
    // Vite's dev server, the usual front end: the API's own port is its own origin, never cross-origin.
    defaultValue: () => ['http://localhost:5173'],
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
    prompt: {
      type: 'select',
      message: 'Sessions',
      choices: SESSION_TRANSPORTS,
      describeChoice: (transport) => (transport === 'cookie' ? 'an HttpOnly cookie, for browser apps' : 'an Authorization header, for any client'),
    },
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
    prompt: {
      type: 'select',
      message: 'Rate-limit tier',
      choices: Object.keys(RATE_LIMIT_TIERS),
      describeChoice: (tier) => `global ${RATE_LIMIT_TIERS[tier as RateLimitTier].global}, auth ${RATE_LIMIT_TIERS[tier as RateLimitTier].auth}`,
    },
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
    prompt: { type: 'input', message: 'Global limit per client (max/window)' },
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
    prompt: { type: 'input', message: 'Auth limit per client and account (max/window)' },
    caution: (auth, { globalLimit }) =>
      globalLimit !== undefined && limitRate(auth) >= limitRate(globalLimit)
        ? `auth-limit ${auth} is no tighter than global-limit ${globalLimit}, so sign-in gets no extra protection (the standard tier has ${RATE_LIMIT_TIERS.standard.auth})`
        : undefined,
  }),
  option({
    key: 'db',
    flag: 'db',
    kind: 'value',
    placeholder: '<engine>',
    help: "database: sqlite (Node's built-in, a file, one instance) or postgres (any number of instances)",
    parse: parseChoice(DATABASE_ENGINES),
    defaultValue: () => 'sqlite',
    prompt: {
      type: 'select',
      message: 'Database',
      choices: DATABASE_ENGINES,
      describeChoice: (engine) => (engine === 'postgres' ? 'PostgreSQL: any number of instances' : 'a file, nothing else to run: one instance'),
      upFront: true,
    },
  }),
  option({
    key: 'rateLimitStore',
    flag: 'rate-limit-store',
    kind: 'value',
    placeholder: '<store>',
    help: 'where limits are counted: memory (one instance) or redis (shared by all instances)',
    parse: parseChoice(['memory', 'redis'] as const),
    defaultValue: () => 'memory',
    prompt: {
      type: 'select',
      message: 'Rate-limit store',
      choices: ['memory', 'redis'],
      describeChoice: (store) => (store === 'redis' ? 'shared by every instance' : 'one instance'),
    },
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
    caution: (major, _answers, running) => {
      const floor = nodeFloorAbove(major, running.node);
      return floor === undefined
        ? undefined
        : `the project targets Node ${major} (its scripts need ${floor} or later) but this is Node ${running.node}: switch in it with ${switchNodeAdvice(major)}`;
    },
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
      why: '0 when clients reach the app directly, 1 behind one load balancer or reverse proxy, 2 behind a CDN and a proxy. Rate limits key on the client address; trusting more hops than you have lets clients forge it.',
      upFront: true,
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
    prompt: { type: 'input', message: 'Largest JSON body accepted (1kb to 5mb)' },
  }),
  option({
    key: 'docker',
    flag: 'docker',
    kind: 'boolean',
    help: 'add a Dockerfile and .dockerignore',
    parse: parseBoolean,
    defaultValue: () => true,
    prompt: { type: 'confirm', message: 'Add a Dockerfile?' },
    addsFile: 'Dockerfile',
  }),
  option({
    key: 'pm',
    flag: 'pm',
    kind: 'value',
    placeholder: '<npm|pnpm|yarn|bun>',
    help: 'package manager for the install',
    parse: parseChoice(PACKAGE_MANAGERS),
    defaultValue: ({ userAgent }) => detectPackageManager(userAgent),
    defaultHelp: 'the package manager that ran this command, else npm',
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

/** What the answers deserve a word about before anything is written (see OptionSpec.caution). */
export function cautionsFor(answers: Readonly<Answers>, running: RunningOn): string[] {
  return OPTIONS.flatMap((spec) => spec.caution?.(answers[spec.key] as never, answers, running) ?? []);
}

/** How summaries and menus name an option: its flag, or a team question's own name. */
export const labelOf = (spec: OptionSpec): string => (optionByKey(spec.key) ? spec.flag : spec.key);
