import { Router } from 'express';
import { authenticate } from '../auth/authenticate.ts';
import { accountsRouter } from './accounts.ts';
import { authRouter } from './auth.ts';
import type { ApiServices } from './services.ts';
import { usersRouter } from './users.ts';
// new:route imports

/**
 * Every API route under /api/v1. The caller's session, if any, is looked up first; each route then
 * states who may call it (src/auth/access.ts). `npm run new:route` adds its routes here.
 */
export function apiRouter(services: ApiServices): Router {
  const router = Router();
  router.use(authenticate(services.sessions));
  router.use('/users', usersRouter(services));
  router.use('/auth', authRouter(services));
  router.use('/auth', accountsRouter(services));
  // new:route mounts
  return router;
}
