import type { Router } from 'express';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { sendProblem } from '../http/problem.ts';
import type { Readiness } from '../readiness.ts';

/**
 * Liveness and readiness for load balancers and orchestrators. They are mounted before the rate
 * limiters, so frequent probes never use up a limit, and they say nothing about the app beyond a
 * status: no versions, no dependency names, nothing an attacker could use. They are added to the app
 * itself rather than through a sub-router, which every other request would have to enter and leave.
 */
export function addHealthRoutes(app: Pick<Router, 'route'>, readiness: Readiness): void {
  // Liveness: the process is up and its event loop answers. Restart it if this fails.
  app
    .route('/healthz')
    .get((_req, res) => {
      res.json({ status: 'ok' });
    })
    .all(methodNotAllowed('GET'));

  // Readiness: send traffic here only while this answers 200.
  app
    .route('/readyz')
    .get(async (req, res) => {
      if (await readiness.isReady()) {
        res.json({ status: 'ready' });
        return;
      }
      res.setHeader('Retry-After', '5');
      sendProblem(req, res, 503, 'This instance is not accepting traffic.');
    })
    .all(methodNotAllowed('GET'));
}
