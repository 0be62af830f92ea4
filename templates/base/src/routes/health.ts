import type { Router } from 'express';
import { z } from 'zod';
import { publicRoute } from '../auth/access.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { sendProblem } from '../http/problem.ts';
import { documented } from '../openapi/documented.ts';
import type { Readiness } from '../readiness.ts';

const readyBody = z.strictObject({ status: z.literal('ready'), dependencies: z.record(z.string(), z.enum(['up', 'down'])) });

/**
 * Liveness and readiness for load balancers and orchestrators. They are mounted before the rate
 * limiters, so frequent probes never use up a limit. They say nothing an attacker could use: no
 * versions, hosts or error messages; readiness names each shared service and whether it is up. They
 * are added to the app itself rather than through a sub-router, which every other request would have
 * to enter and leave.
 */
export function addHealthRoutes(app: Pick<Router, 'route'>, readiness: Readiness): void {
  // Liveness: the process is up and its event loop answers. Restart it if this fails.
  app
    .route('/healthz')
    .get(publicRoute, documented({ summary: 'Liveness', responses: { 200: z.strictObject({ status: z.literal('ok') }) }, rateLimited: false }), (_req, res) => {
      res.json({ status: 'ok' });
    })
    .all(methodNotAllowed('GET'));

  // Readiness: send traffic here only while this answers 200. A shared service being down does not
  // change the status (see src/service-health.ts), only its entry in `dependencies`.
  app
    .route('/readyz')
    .get(publicRoute, documented({ summary: 'Readiness, with the state of each dependency', responses: { 200: readyBody }, refusals: [503], rateLimited: false }), (req, res) => {
      const { phase, dependencies } = readiness.status();
      if (phase === 'ready') {
        res.json({ status: 'ready', dependencies });
        return;
      }
      res.setHeader('Retry-After', '5');
      sendProblem(req, res, 503, phase === 'starting' ? 'This instance is starting.' : 'This instance is shutting down.');
    })
    .all(methodNotAllowed('GET'));
}
