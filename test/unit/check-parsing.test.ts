import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOpenapi } from '../../src/check/openapi.ts';
import { underPrefix } from '../../src/check/plan.ts';
import { remainingOf } from '../../src/check/probes/rate-limit.ts';

describe('check reads an OpenAPI 3 document', () => {
  const document = {
    openapi: '3.0.3',
    servers: [{ url: 'https://api.example.com/api/v1' }],
    security: [{ bearer: [] }],
    paths: {
      '/users/{id}': {
        parameters: [{ name: 'id', in: 'path', schema: { type: 'integer' } }],
        get: {},
        patch: { security: [{}], requestBody: { content: { 'application/merge-patch+json': {} } } },
      },
      '/files/{name}': { get: { security: [] }, post: { requestBody: { content: { 'multipart/form-data': {} } } } },
      '/sessions/{sid}': { delete: { parameters: [{ name: 'sid', in: 'path', schema: { type: 'string', format: 'uuid' } }] } },
    },
  };

  it('fills path templates with harmless values, inherits security, and tells JSON bodies', () => {
    assert.deepEqual(parseOpenapi(JSON.stringify(document), 'doc.json'), [
      { method: 'GET', path: '/api/v1/users/999999999', jsonBody: false, secured: true },
      { method: 'PATCH', path: '/api/v1/users/999999999', jsonBody: true, secured: false },
      { method: 'GET', path: '/api/v1/files/check-probe', jsonBody: false, secured: false },
      { method: 'POST', path: '/api/v1/files/check-probe', jsonBody: false, secured: true },
      { method: 'DELETE', path: '/api/v1/sessions/00000000-0000-4000-8000-000000000000', jsonBody: false, secured: true },
    ]);
  });

  // swagger-jsdoc and many hand-written documents give their servers variables: each takes its default.
  for (const [server, path] of [
    [{ url: '/api' }, '/api/me'],
    [{ url: 'http://localhost:3000/api/' }, '/api/me'],
    [{ url: '{scheme}://localhost:{port}/api', variables: { scheme: { default: 'http' }, port: { default: '3000' } } }, '/api/me'],
    [{ url: 'https://{host}/{version}', variables: { host: { default: 'api.example.com' }, version: { default: 'v2', enum: ['v1', 'v2'] } } }, '/v2/me'],
    [{ url: '{origin}/api', variables: {} }, '/api/me'],
  ] as const) {
    it(`puts the path of server ${server.url} before every path`, () => {
      const text = JSON.stringify({ openapi: '3.1.0', servers: [server], paths: { '/me': { get: {} } } });
      assert.equal(parseOpenapi(text, 'doc.json')[0]?.path, path);
    });
  }

  for (const [text, message] of [
    ['{', /doc\.json is not JSON/],
    ['{"swagger": "2.0", "paths": {}}', /doc\.json is not an OpenAPI 3 document/],
    ['{"openapi": "3.1.0", "paths": {}}', /doc\.json names no operation/],
  ] as const) {
    it(`refuses ${text}`, () => assert.throws(() => parseOpenapi(text, 'doc.json'), message));
  }
});

describe("check puts a document's paths under the prefix the URL named shows", () => {
  const operations = parseOpenapi(JSON.stringify({ openapi: '3.1.0', paths: { '/healthz': { get: {} }, '/items/{id}': { get: {} }, '/': { get: {} } } }), 'doc.json');

  for (const [urls, prefix] of [
    [['/api/healthz'], '/api'],
    [['/edge/v2/healthz?full=1'], '/edge/v2'],
    // A URL the document names, or one that shows no prefix, changes nothing.
    [['/healthz'], undefined],
    [['/api/healthz', '/healthz'], undefined],
    [['/status'], undefined],
    [['/apihealthz'], undefined],
  ] as const) {
    it(`${urls.join(' ')}: ${prefix ?? 'no prefix'}`, () => {
      const rebased = underPrefix(operations, urls);
      assert.equal(rebased.prefix, prefix);
      assert.deepEqual(rebased.operations.map((operation) => operation.path), ['/healthz', '/items/check-probe', '/'].map((path) => `${prefix ?? ''}${path}`));
    });
  }
});

describe('check reads what is left of a rate limit', () => {
  const cases: readonly [Record<string, string>, number | undefined][] = [
    [{ ratelimit: '"default";r=4;t=60' }, 4], // IETF draft 8
    [{ ratelimit: 'limit=5, remaining=3, reset=60' }, 3], // draft 7
    [{ 'ratelimit-remaining': '2' }, 2], // draft 6
    [{ 'x-ratelimit-remaining': '0' }, 0],
    [{ 'ratelimit-policy': '5;w=60' }, undefined],
    [{}, undefined],
  ];
  for (const [headers, remaining] of cases) {
    it(`${JSON.stringify(headers)} -> ${remaining}`, () => assert.equal(remainingOf({ status: 200, headers, body: '' }), remaining));
  }
});
