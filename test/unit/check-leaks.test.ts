import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findFingerprints, findLeaks } from '../../src/check/leaks.ts';

// Bodies seen from real Express APIs in production mode (a RealWorld backend on Sequelize, boilerplates),
// each with what check must name; then the answers of a correct API, which must name nothing.
const LEAKING: readonly [string, string][] = [
  ['{"errors":{"body":["Cannot read properties of undefined (reading \'email\')"]}}', "a runtime error's message"],
  ['{"message":"req.body.user.toLowerCase is not a function"}', "a runtime error's message"],
  ['{"errors":{"body":["column \\"nan\\" does not exist"]}}', "the database's error"],
  ['{"error":"relation \\"users\\" does not exist"}', "the database's error"],
  ['{"error":"duplicate key value violates unique constraint \\"users_email_key\\""}', "the database's error"],
  ['{"error":"SQLITE_CONSTRAINT: UNIQUE constraint failed: users.email"}', "the database's error"],
  ['{"code":"ER_DUP_ENTRY","message":"Duplicate entry"}', "the database's error"],
  ['{"name":"SequelizeDatabaseError","message":"invalid input syntax"}', "the database's error"],
  ['{"message":"E11000 duplicate key error collection: app.users"}', "the database's error"],
  ['{"message":"connect ECONNREFUSED 127.0.0.1:5432"}', "a service's address"],
  ['{"message":"cannot connect to postgres://app:s3cret@db.internal:5432/app"}', "a service's address"],
  // A handler that passes every error's message on: in a 5xx, a crash's goes out the same way.
  ['{"message":"Unexpected end of JSON input"}', "JSON.parse's own message"],
  ['{"error":"PayloadTooLargeError","message":"request entity too large"}', "the body parser's error name"],
  ['TypeError: x is undefined\n    at handler (/srv/app/src/routes/users.js:12:7)', 'a stack frame'],
];

const CLEAN: readonly string[] = [
  '{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body is not valid JSON.","requestId":"0b6c"}',
  '{"type":"about:blank","title":"Not Found","status":404,"detail":"There is nothing at this path.","requestId":"0b6c"}',
  '{"title":"Bad Request","status":400,"errors":[{"path":"body.email","message":"Invalid email address"}]}',
  '{"title":"Service Unavailable","status":503,"detail":"The database is not reachable: try again in a few seconds."}',
  '{"message":"The email or password is incorrect."}',
];

// The body parser's answer to a client's bad body, passed on in a 4xx (the `err.expose` pattern of
// http-errors): it names the runtime, not the app, so it is a fingerprint, not a leak.
const PARSER_IN_4XX: readonly string[] = [
  '{"error":"Unexpected end of JSON input"}',
  '{"error":"Unexpected token \'c\', \"{\"check\": \"cr\"... is not valid JSON"}',
  '{"name":"PayloadTooLargeError","message":"request entity too large"}',
];

describe('what an error response must not show', () => {
  for (const [body, what] of LEAKING) {
    it(`names ${what} in ${body.slice(0, 60)}`, () => {
      assert.ok(findLeaks(body, 500).some((leak) => leak.what === what), JSON.stringify(findLeaks(body, 500)));
    });
  }
  for (const body of PARSER_IN_4XX) {
    it(`calls the body parser's own words in a 400 a fingerprint, not a leak: ${body.slice(0, 50)}`, () => {
      assert.deepEqual(findLeaks(body, 400), []);
      assert.notDeepEqual(findFingerprints(body, 400), []);
      assert.notDeepEqual(findLeaks(body, 500), []);
    });
  }
  it('names nothing in the answers of an API that keeps its internals to itself', () => {
    for (const body of CLEAN) assert.deepEqual([...findLeaks(body, 400), ...findFingerprints(body, 400), ...findLeaks(body, 500)], [], body);
  });
});
