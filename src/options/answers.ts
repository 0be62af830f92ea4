/** The answers a run resolves to: what is rendered, and what `.secure-express.json` records. */
export type RateLimitTier = 'strict' | 'standard' | 'relaxed';
export type RateLimitStore = 'memory' | 'redis';
export type DatabaseEngine = 'sqlite' | 'postgres';
export type SessionTransport = 'bearer' | 'cookie';
export type NodeMajor = 22 | 24;
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface Answers {
  /** npm package name of the generated project. */
  name: string;
  /** Production CORS allowlist: exact origins such as `https://app.example.com`. May be empty. */
  origins: readonly string[];
  /** Development CORS allowlist. */
  devOrigins: readonly string[];
  /** How a signed-in client proves its session: an `Authorization: Bearer` token or an HttpOnly cookie. */
  session: SessionTransport;
  /** Whether cross-origin requests may carry cookies (with a cookie session, they must to sign in). */
  credentials: boolean;
  rateLimit: RateLimitTier;
  /** `max/window`, e.g. `100/15m`; the tier's value unless overridden. */
  globalLimit: string;
  /** `max/window`, e.g. `5/15m`; the tier's value unless overridden. */
  authLimit: string;
  /** Where data lives: a SQLite file (one instance) or PostgreSQL (any number of instances). */
  db: DatabaseEngine;
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
