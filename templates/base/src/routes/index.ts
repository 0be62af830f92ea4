import { Router } from 'express';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { UserStore } from '../users/user-store.ts';
import { authRouter } from './auth.ts';
import { usersRouter } from './users.ts';
// new:route imports

export interface ApiDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly users: UserStore;
}

/** Every API route under /api/v1. `npm run new:route` adds its routes here. */
export function apiRouter({ config, logger, users }: ApiDependencies): Router {
  const router = Router();
  router.use('/users', usersRouter(users));
  router.use('/auth', authRouter(users, config.rateLimit.auth, logger));
  // new:route mounts
  return router;
}
