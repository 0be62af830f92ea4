import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failingDatabase, PASSWORD, postJson, sameOrigin, startApp, testDatabase } from './helpers.ts';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId: string;
}

async function expectProblem(res: Response, status: number): Promise<Problem> {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json; charset=utf-8$/);
  const problem = (await res.json()) as Problem;
  assert.equal(problem.type, 'about:blank');
  assert.equal(problem.status, status);
  assert.equal(typeof problem.title, 'string');
  assert.equal(problem.requestId, res.headers.get('x-request-id'));
  return problem;
}

test('malformed JSON is a 400 problem, not a 500, and does not echo the parser message', async (t) => {
  const { url } = await startApp(t);
  const res = await fetch(`${url}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...sameOrigin },
    body: '{"email": "a@example.com", ',
  });
  const problem = await expectProblem(res, 400);
  assert.equal(problem.title, 'Bad Request');
  assert.equal(problem.detail, 'The request body is not valid JSON.');
});

test('a JSON scalar at the top level is refused as malformed', async (t) => {
  const { url } = await startApp(t);
  const res = await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...sameOrigin }, body: '"x"' });
  await expectProblem(res, 400);
});

test('an unknown route is a 404 problem', async (t) => {
  const { url } = await startApp(t);
  const problem = await expectProblem(await fetch(`${url}/api/v1/nothing-here?token=secret`), 404);
  assert.equal(problem.title, 'Not Found');
  assert.equal(problem.instance, '/api/v1/nothing-here', 'the query string is not echoed');
});

test('a known route with a method it does not serve is a 405 with Allow', async (t) => {
  const { url } = await startApp(t);
  const cases: [string, string, string][] = [
    ['DELETE', '/api/v1/users', 'GET, POST, HEAD, OPTIONS'],
    ['PUT', '/api/v1/users/00000000-0000-4000-8000-000000000000', 'GET, HEAD, OPTIONS'],
    ['POST', '/api/v1/users/me', 'GET, HEAD, OPTIONS'],
    ['PUT', '/api/v1/users/me/password', 'PATCH, OPTIONS'],
    ['GET', '/api/v1/auth/login', 'POST, OPTIONS'],
    ['GET', '/api/v1/auth/logout', 'POST, OPTIONS'],
    ['POST', '/healthz', 'GET, HEAD, OPTIONS'],
  ];
  for (const [method, path, allow] of cases) {
    const res = await fetch(`${url}${path}`, { method, headers: sameOrigin });
    assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
    await expectProblem(res, 405);
  }
});

test('an unexpected error is a 500 problem; Express default handler (HTML) never answers', async (t) => {
  const { url } = await startApp(t, {}, { database: failingDatabase(await testDatabase(t), 'boom') });
  const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: PASSWORD });
  const problem = await expectProblem(res, 500);
  assert.equal(problem.title, 'Internal Server Error');
});

test('a database error never reaches the response, in any environment: no SQL, table or constraint name', async (t) => {
  const internal = 'UNIQUE constraint failed: users.email (insert into "users" ("id", "email") values (?, ?))';
  for (const NODE_ENV of ['development', 'production']) {
    const { url } = await startApp(t, { NODE_ENV }, { database: failingDatabase(await testDatabase(t), internal) });
    const res = await postJson(`${url}/api/v1/users`, { email: 'a@example.com', password: PASSWORD });
    const text = await res.text();
    assert.equal(res.status, 500, NODE_ENV);
    assert.doesNotMatch(text, /constraint|users\.email|insert into|values/i, NODE_ENV);
  }
});

test('a malformed percent-encoding in the path is a 400 problem', async (t) => {
  const { url } = await startApp(t);
  await expectProblem(await fetch(`${url}/api/v1/users/%E0%A4%A`), 400);
});
