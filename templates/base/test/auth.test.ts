import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserStore } from '../src/users/user-store.ts';
import { postJson, startApp } from './helpers.ts';

test('login: 200 with the right password, the same 401 for a wrong password and an unknown email', async (t) => {
  const users = createUserStore();
  await users.create({ email: 'dana@example.com', password: 'correct horse battery' });
  const { url } = await startApp(t, {}, { users });
  const login = (email: string, password: string) => postJson(`${url}/api/v1/auth/login`, { email, password });

  const ok = await login('Dana@Example.com', 'correct horse battery');
  assert.equal(ok.status, 200);
  assert.equal(((await ok.json()) as { email: string }).email, 'dana@example.com');

  const wrongPassword = await login('dana@example.com', 'wrong horse battery');
  const unknownEmail = await login('nobody@example.com', 'correct horse battery');
  assert.equal(wrongPassword.status, 401);
  assert.equal(unknownEmail.status, 401);
  const strip = (problem: Record<string, unknown>) => ({ ...problem, requestId: undefined });
  assert.deepEqual(
    strip((await wrongPassword.json()) as Record<string, unknown>),
    strip((await unknownEmail.json()) as Record<string, unknown>),
    'nothing tells the two apart',
  );
});

test('an unknown email costs a password check too, so timing does not reveal which emails exist', async (t) => {
  const users = createUserStore();
  await users.create({ email: 'erin@example.com', password: 'correct horse battery' });
  const { url } = await startApp(t, {}, { users });
  const timed = async (email: string) => {
    const started = performance.now();
    await postJson(`${url}/api/v1/auth/login`, { email, password: 'wrong horse battery' });
    return performance.now() - started;
  };
  // Interleaved, and the median of three of each, so that one slow moment on a busy machine cannot
  // decide the outcome.
  const known: number[] = [];
  const unknown: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    known.push(await timed('erin@example.com'));
    unknown.push(await timed('nobody@example.com'));
  }
  const median = (values: number[]) => values.toSorted((a, b) => a - b)[1] ?? 0;
  // Both run scrypt (tens of milliseconds); without the dummy check the unknown email answers at once.
  assert.ok(median(unknown) > median(known) / 3, `unknown email ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
});

test('stored passwords are scrypt hashes with a per-user salt', async () => {
  const users = createUserStore();
  const a = await users.create({ email: 'f@example.com', password: 'same password here' });
  const b = await users.create({ email: 'g@example.com', password: 'same password here' });
  assert.match(a?.passwordHash ?? '', /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.notEqual(a?.passwordHash, b?.passwordHash);
  assert.ok(!a?.passwordHash.includes('same password here'));
});
