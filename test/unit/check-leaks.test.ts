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
  ['{"message":"Unexpected end of JSON input"}', "JSON.parse's own message"],
  ['TypeError: x is undefined\n    at handler (/srv/app/src/routes/users.js:12:7)', 'a stack frame'],
];

const CLEAN: readonly string[] = [
  '{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body is not valid JSON.","requestId":"0b6c"}',
  '{"type":"about:blank","title":"Not Found","status":404,"detail":"There is nothing at this path.","requestId":"0b6c"}',
  '{"title":"Bad Request","status":400,"errors":[{"path":"body.email","message":"Invalid email address"}]}',
  '{"title":"Service Unavailable","status":503,"detail":"The database is not reachable: try again in a few seconds."}',
  '{"message":"The email or password is incorrect."}',
];

describe('what an error response must not show', () => {
  for (const [body, what] of LEAKING) {
    it(`names ${what} in ${body.slice(0, 60)}`, () => {
      assert.ok(findLeaks(body).some((leak) => leak.what === what), JSON.stringify(findLeaks(body)));
    });
  }
  it('names nothing in the answers of an API that keeps its internals to itself', () => {
    for (const body of CLEAN) assert.deepEqual([...findLeaks(body), ...findFingerprints(body)], [], body);
  });
});
