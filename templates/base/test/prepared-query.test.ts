import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareQuery } from '../src/db/prepared-query.ts';
import { signUp, testDatabase } from './helpers.ts';

test('a prepared query binds each call\'s values: the same SQL, other rows', async (t) => {
  const database = await testDatabase(t);
  const { db } = database;
  const ada = await signUp({ database }, 'ada@example.com');
  const bob = await signUp({ database }, 'bob@example.com');
  const emailOf = prepareQuery(db, (params: { id: string }) => db.selectFrom('users').select('email').where('id', '=', params.id));

  assert.equal((await emailOf.first({ id: ada.id }))?.email, 'ada@example.com');
  assert.deepEqual((await emailOf.all({ id: bob.id })).map((row) => row.email), ['bob@example.com']);
  assert.equal(await emailOf.first({ id: "' or 1=1 --" }), undefined, 'a value is never SQL');

  const rename = prepareQuery(db, (params: { id: string; name: string }) => db.updateTable('users').set({ name: params.name }).where('id', '=', params.id));
  assert.equal(await rename.run({ id: ada.id, name: 'Ada' }), 1n);
  assert.equal(await rename.run({ id: 'nobody', name: 'Ada' }), 0n);
});

test('a prepared query refuses any value that is not one of its parameters: a computed stand-in would be a constant', async (t) => {
  const { db } = await testDatabase(t);
  const computed = prepareQuery(db, (params: { now: number }) => db.selectFrom('sessions').select('id').where('expires_at', '>', params.now - 1000));
  await assert.rejects(computed.all({ now: Date.now() }), /every value must be a parameter, found NaN in select/);
  const constant = prepareQuery(db, (params: { id: string }) => db.selectFrom('users').select('id').where('id', '=', params.id).where('role', '=', 'admin'));
  await assert.rejects(constant.first({ id: 'x' }), /every value must be a parameter, found admin/);
});
