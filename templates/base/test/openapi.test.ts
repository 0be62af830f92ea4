import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApp } from '../src/app.ts';
import { routeTable } from '../src/http/route-table.ts';
import { sessionScheme } from '../src/auth/session-scheme.ts';
import { documentedResponse } from './documented-response.ts';
import { postJson, startApp, testConfig, testDatabase } from './helpers.ts';

type Json = Record<string, unknown>;
type Operation = { summary?: string; security: unknown[]; responses: Json; parameters?: Json[]; requestBody?: Json; 'x-access-rule'?: string };

const documentOf = async (url: string) => (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>>; components: Json };
const operations = (document: Awaited<ReturnType<typeof documentOf>>) =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));

test('GET /openapi.json is a valid OpenAPI 3.1 document', async (t) => {
  const { url } = await startApp(t);
  const res = await fetch(`${url}/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const document = (await res.json()) as Json;
  assert.match(String(document.openapi), /^3\.1\.\d+$/);
  const result = await new Validator().validate(document);
  assert.deepEqual(result.errors, undefined, 'the OpenAPI 3.1 schema finds nothing wrong');
  assert.equal(result.valid, true);
});

test('the document names exactly the routes the router serves, each with what it answers', async (t) => {
  const app = createApp(testConfig(), { database: await testDatabase(t) });
  const served = routeTable(app).map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
  const { url } = await startApp(t);
  const document = await documentOf(url);
  const listed = operations(document).map(({ method, path }) => `${method} ${path}`);
  assert.deepEqual([...listed].sort(), [...served].sort(), 'the document and the router list the same routes');
  const undescribed = operations(document).filter(({ operation }) => operation.summary === undefined);
  assert.deepEqual(
    undescribed.map(({ method, path }) => `${method} ${path}`),
    [],
    'routes that do not say what they answer: add documented({ summary, responses }) after the access rule (src/openapi/documented.ts)',
  );
});

test("each operation's security is its access rule: the session for all but public routes, and a 401 without it", async (t) => {
  const { url } = await startApp(t);
  const document = await documentOf(url);
  assert.deepEqual((document.components.securitySchemes as Json).session, sessionScheme);
  for (const { method, path, operation } of operations(document)) {
    const name = `${method} ${path}`;
    if (operation['x-access-rule'] === 'public') {
      assert.deepEqual(operation.security, [], name);
    } else {
      assert.deepEqual(operation.security, [{ session: [] }], name);
      assert.ok(operation.responses['401'], name);
    }
  }
  assert.equal(document.paths['/api/v1/users']?.get?.['x-access-rule'], 'admin');
  assert.ok(document.paths['/api/v1/users'].get.responses['403'], 'admins only: 403 for users');
  assert.ok(document.paths['/api/v1/users/{id}']?.get?.responses['404'], 'owner: 404 for anyone else');
});

test('requests are described from the zod schemas: strict bodies, path and query parameters, and their refusals', async (t) => {
  const { url } = await startApp(t);
  const document = await documentOf(url);
  const signUp = document.paths['/api/v1/users']?.post;
  const body = (signUp?.requestBody?.content as Record<string, { schema: Json }>)['application/json']?.schema;
  assert.equal(body?.additionalProperties, false, 'strict: unknown fields are refused');
  assert.deepEqual(body.required, ['email', 'password']);
  for (const status of ['202', '400', '413', '415', '429']) assert.ok(signUp?.responses[status], `sign-up documents ${status}`);
  assert.equal(signUp?.responses['409'], undefined, 'a taken address answers as a new one does');
  assert.deepEqual(document.paths['/api/v1/users/{id}']?.get?.parameters?.map(({ name, in: where }) => `${String(where)}:${String(name)}`), ['path:id']);
  assert.deepEqual(document.paths['/api/v1/users']?.get?.parameters?.map(({ name, in: where }) => `${String(where)}:${String(name)}`), ['query:limit', 'query:cursor']);
  assert.equal(document.paths['/healthz']?.get?.responses['429'], undefined, 'health checks are exempt from the rate limits');
});

test('problem responses match the documented problem schema, 400 with its errors', async (t) => {
  const { url } = await startApp(t);
  const invalid = await documentedResponse('POST', await postJson(`${url}/api/v1/users`, { email: 1 }));
  assert.equal(invalid.status, 400);
  assert.ok(((await invalid.json()) as { errors?: unknown[] }).errors?.length);
  assert.equal((await documentedResponse('GET', await fetch(`${url}/api/v1/users/me`))).status, 401);
});

test('the checker notices an undocumented field: a response with more than the schema says fails', async (t) => {
  const { url } = await startApp(t);
  const healthz = await fetch(`${url}/healthz`);
  const forged = new Response(JSON.stringify({ status: 'ok', passwordHash: 'x' }), { status: 200, headers: { 'content-type': 'application/json' } });
  Object.defineProperty(forged, 'url', { value: healthz.url });
  await assert.rejects(documentedResponse('GET', forged), /must NOT have additional properties/);
  await documentedResponse('GET', healthz);
});

test('the document is no-store like every response, the same bytes each time, and counts against the global rate limit', async (t) => {
  const { url } = await startApp(t, { RATE_LIMIT_GLOBAL: '3/1m' });
  const first = await fetch(`${url}/openapi.json`);
  assert.equal(first.headers.get('cache-control'), 'no-store');
  const again = await fetch(`${url}/openapi.json`);
  assert.equal(await again.text(), await first.text());
  assert.equal((await fetch(`${url}/openapi.json`)).status, 200);
  assert.equal((await fetch(`${url}/openapi.json`)).status, 429, 'not exempt from the global limit');
});

test('the documentation page: Swagger UI with a CSP of its own outside production, a 404 in production', async (t) => {
  const development = await startApp(t, { NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const page = await fetch(`${development.url}/docs`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<script src="\/docs\/swagger-ui-bundle\.js"><\/script>/);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, 'no inline script, even here');
  assert.match(csp, /frame-ancestors 'none'/);
  const bundle = await fetch(`${development.url}/docs/swagger-ui-bundle.js`);
  assert.equal(bundle.status, 200);
  assert.equal(bundle.headers.get('cache-control'), 'no-store');
  await bundle.arrayBuffer();
  const api = await fetch(`${development.url}/api/v1/users/me`);
  assert.equal(api.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", 'the relaxed policy stays on the page');

  const production = await startApp(t, { NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  for (const path of ['/docs', '/docs/swagger-ui-bundle.js', '/docs/start.js']) {
    const res = await fetch(`${production.url}${path}`);
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", path);
  }
  assert.equal((await fetch(`${production.url}/openapi.json`)).status, 200, 'the document is served in production');
});
