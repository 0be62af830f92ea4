import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccessRule } from '../src/auth/access.ts';
import { createApp } from '../src/app.ts';
import { routeTable } from '../src/http/route-table.ts';
import { testConfig, testDatabase } from './helpers.ts';

/** The rule each route of the generated API states; a route added by `npm run new:route` states its own. */
const EXPECTED: Readonly<Record<string, AccessRule>> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /openapi.json': 'public',
  'POST /api/v1/users': 'public',
  'GET /api/v1/users': 'admin',
  'GET /api/v1/users/me': 'signed-in',
  'PATCH /api/v1/users/me/password': 'signed-in',
  'GET /api/v1/users/:id': 'owner',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'signed-in',
  'POST /api/v1/auth/verify-email': 'public',
  'POST /api/v1/auth/verify-email/resend': 'public',
  'POST /api/v1/auth/password-reset': 'public',
  'POST /api/v1/auth/password-reset/confirm': 'public',
  'GET /api/v1/users/me/sessions': 'signed-in',
  'DELETE /api/v1/users/me/sessions/:id': 'signed-in',
};

test('every route states who may call it, as its first handler', async (t) => {
  const app = createApp(testConfig(), { database: await testDatabase(t) });
  const routes = routeTable(app);
  assert.ok(routes.length >= Object.keys(EXPECTED).length, 'the walker finds the routes');
  const missing = routes.filter((route) => !('access' in (route.handlers[0] ?? {})));
  assert.deepEqual(
    missing.map((route) => `${route.method} ${route.path}`),
    [],
    'routes without an access rule (start them with publicRoute, requireAuth, requireOwner() or requireRole())',
  );
  const stated = Object.fromEntries(routes.map((route) => [`${route.method} ${route.path}`, (route.handlers[0] as unknown as { access: AccessRule }).access]));
  for (const [route, rule] of Object.entries(EXPECTED)) assert.equal(stated[route], rule, route);
});

test('the walker notices a route without a rule', async (t) => {
  const app = createApp(testConfig(), { database: await testDatabase(t) });
  app.get('/forgotten', (_req, res) => {
    res.json({});
  });
  const forgotten = routeTable(app).find((route) => route.path === '/forgotten');
  assert.ok(forgotten);
  assert.ok(!('access' in (forgotten.handlers[0] ?? {})));
});
