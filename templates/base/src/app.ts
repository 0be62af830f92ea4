import express, { type Express } from 'express';
import type { Config } from './config.ts';
import { errorHandler } from './http/error-handler.ts';
import { jsonBody } from './http/json-body.ts';
import { notFound } from './http/not-found.ts';
import { requestId } from './http/request-id.ts';
import { createLogger, httpLogger, type Logger } from './log.ts';
import { Readiness } from './readiness.ts';
import { apiRouter } from './routes/index.ts';
import { healthRouter } from './routes/health.ts';
import { corsPolicy } from './security/cors.ts';
import { securityHeaders } from './security/headers.ts';
import { authRateLimit, globalRateLimit } from './security/rate-limit.ts';
import { createUserStore, type UserStore } from './users/user-store.ts';

export interface AppDependencies {
  readonly logger?: Logger;
  readonly readiness?: Readiness;
  readonly users?: UserStore;
}

/**
 * The whole middleware stack, in the order a request meets it. Order is part of the security: each
 * step relies on the ones above it.
 */
export function createApp(config: Config, dependencies: AppDependencies = {}): Express {
  const logger = dependencies.logger ?? createLogger(config);
  const readiness = dependencies.readiness ?? new Readiness();
  const users = dependencies.users ?? createUserStore();

  const app = express();

  // `req.ip` is the address `trust proxy` hops from the right of X-Forwarded-For: 0 means the socket
  // address. Never `true`, which believes the left-most entry, one the client writes itself.
  app.set('trust proxy', config.trustProxy);
  // Plain strings (and arrays for repeats, which validation refuses), never nested objects from `a[b]=1`.
  app.set('query parser', 'simple');
  app.set('env', config.env);
  app.disable('x-powered-by');

  // 1. An id for every request, then one log line per request carrying it.
  app.use(requestId());
  app.use(httpLogger(logger));

  // 2. Security headers and CORS, before anything can answer, so every response carries them.
  app.use(securityHeaders());
  app.use(corsPolicy(config.cors));

  // 3. Health checks: before the rate limits, which must never take an instance out of rotation.
  app.use(healthRouter(readiness));

  // 4. Rate limits: before the body is read, so a limited client costs as little as possible.
  app.use(globalRateLimit(config.rateLimit.global, logger));
  app.use('/api/v1/auth', authRateLimit(config.rateLimit.auth, logger));

  // 5. JSON bodies only, size-limited. Routes validate everything they read.
  app.use(jsonBody(config.bodyLimit));
  app.use('/api/v1', apiRouter({ config, logger, users }));

  // 6. Nothing matched: 404. Any error: a problem+json, never Express's default handler.
  app.use(notFound());
  app.use(errorHandler(config.env));

  return app;
}
