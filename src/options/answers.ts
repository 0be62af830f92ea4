/** The answers a run resolves to: what is rendered, and what `.secure-express.json` records. */
export type RateLimitTier = 'strict' | 'standard' | 'relaxed';
export type RateLimitStore = 'memory' | 'redis';
export type NodeMajor = 22 | 24;
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface Answers {
  /** npm package name of the generated project. */
  name: string;
  /** Production CORS allowlist: exact origins such as `https://app.example.com`. May be empty. */
  origins: readonly string[];
  /** Development CORS allowlist. */
  devOrigins: readonly string[];
  /** Whether cross-origin requests may carry cookies or Authorization. */
  credentials: boolean;
  rateLimit: RateLimitTier;
  /** `max/window`, e.g. `100/15m`; the tier's value unless overridden. */
  globalLimit: string;
  /** `max/window`, e.g. `5/15m`; the tier's value unless overridden. */
  authLimit: string;
  rateLimitStore: RateLimitStore;
  node: NodeMajor;
  port: number;
  /** Number of reverse proxies in front of the app (0..10); never `true`. */
  trustProxy: number;
  /** Largest JSON body accepted, e.g. `100kb`. */
  bodyLimit: string;
  docker: boolean;
  pm: PackageManager;
  install: boolean;
  git: boolean;
}
