import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPasswordHasher, type PasswordHasher } from '../src/auth/passwords.ts';
import { createUserStore } from '../src/users/user-store.ts';
import { documentedResponse } from './documented-response.ts';
import { cheapPasswords, newUser, PASSWORD, postJson, signIn, signUp, startApp } from './helpers.ts';

test('login: 200 with a session for the right password; the same 401 for a wrong password and an unknown email', async (t) => {
  const server = await startApp(t);
  const { url } = server;
  await signUp(server, 'dana@example.com');
  const login = async (email: string, password: string) => documentedResponse('POST', await postJson(`${url}/api/v1/auth/login`, { email, password }));

  const ok = await login('Dana@Example.com', PASSWORD);
  assert.equal(ok.status, 200);
  const body = (await ok.json()) as { user: { email: string }; expiresAt: string };
  assert.equal(body.user.email, 'dana@example.com');
  assert.ok(Date.parse(body.expiresAt) > Date.now());

  const wrongPassword = await login('dana@example.com', 'wrong horse battery');
  const unknownEmail = await login('nobody@example.com', PASSWORD);
  assert.equal(wrongPassword.status, 401);
  assert.equal(unknownEmail.status, 401);
  assert.equal(wrongPassword.headers.get('www-authenticate'), unknownEmail.headers.get('www-authenticate'));
  const strip = (problem: Record<string, unknown>) => ({ ...problem, requestId: undefined });
  assert.deepEqual(
    strip((await wrongPassword.json()) as Record<string, unknown>),
    strip((await unknownEmail.json()) as Record<string, unknown>),
    'nothing tells the two apart',
  );
});

test('an unknown email costs a password check too, so timing does not reveal which emails exist', async (t) => {
  const server = await startApp(t, {}, { passwords: createPasswordHasher(2) });
  const { url } = server;
  await signUp(server, 'erin@example.com');
  const timed = async (email: string) => {
    const started = performance.now();
    await (await postJson(`${url}/api/v1/auth/login`, { email, password: 'wrong horse battery' })).arrayBuffer();
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
  // Both run the password hash (tens of milliseconds); without the dummy check the unknown email answers at once.
  assert.ok(median(unknown) > median(known) / 3, `unknown email ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
});

test('logout: 204, and the session stops working at once', async (t) => {
  const server = await startApp(t);
  const ada = await newUser(server, 'ada@example.com');
  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers })).status, 200);
  const logout = await documentedResponse('POST', await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: ada.headers }));
  assert.equal(logout.status, 204);
  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: ada.headers })).status, 401);
  assert.equal((await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: ada.headers })).status, 401);
});

test('a password change needs the current password, and signs out every other session', async (t) => {
  const server = await startApp(t);
  const laptop = await newUser(server, 'ada@example.com');
  const phone = await signIn(server.url, 'ada@example.com');
  const change = async (currentPassword: string, newPassword: string) =>
    documentedResponse('PATCH', await postJson(`${server.url}/api/v1/users/me/password`, { currentPassword, newPassword }, laptop.headers, 'PATCH'));

  assert.equal((await change('not my password', 'a brand new passphrase')).status, 403);
  assert.equal((await change(PASSWORD, 'short')).status, 400);
  assert.equal((await change(PASSWORD, 'a brand new passphrase')).status, 204);

  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: laptop.headers })).status, 200, 'this session stays');
  assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: phone.headers })).status, 401, 'the other one ended');
  assert.equal((await postJson(`${server.url}/api/v1/auth/login`, { email: 'ada@example.com', password: PASSWORD })).status, 401);
  await signIn(server.url, 'ada@example.com', 'a brand new passphrase');
  const anonymous = await postJson(`${server.url}/api/v1/users/me/password`, { currentPassword: PASSWORD, newPassword: 'x'.repeat(12) }, {}, 'PATCH');
  assert.equal(anonymous.status, 401);
});

test('wrong current passwords are limited per session: a stolen session cannot guess the password', async (t) => {
  const server = await startApp(t, { RATE_LIMIT_AUTH: '2/1m' });
  const ada = await newUser(server, 'ada@example.com');
  const guess = (currentPassword: string) =>
    postJson(`${server.url}/api/v1/users/me/password`, { currentPassword, newPassword: 'a brand new passphrase' }, ada.headers, 'PATCH');
  assert.equal((await guess('guess one')).status, 403);
  assert.equal((await guess('guess two')).status, 403);
  assert.equal((await guess(PASSWORD)).status, 429);
});

test('a login that checked the password just before it changed gets no session', async (t) => {
  // The login's password check is held until the password has changed: the race a stolen password
  // would try to win against its owner changing it.
  const real = cheapPasswords();
  let hold: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (hold = resolve));
  let checking: (() => void) | undefined;
  const checked = new Promise<void>((resolve) => (checking = resolve));
  const passwords: PasswordHasher = {
    hash: (password) => real.hash(password),
    async verify(password, stored) {
      const result = await real.verify(password, stored);
      checking?.();
      await held;
      return result;
    },
  };
  const server = await startApp(t, {}, { passwords });
  const ada = await signUp(server, 'ada@example.com');
  const racing = postJson(`${server.url}/api/v1/auth/login`, { email: 'ada@example.com', password: PASSWORD });
  await checked;
  await createUserStore(server.database.db).changePassword(ada.id, await real.hash('a brand new passphrase'));
  hold?.();
  assert.equal((await racing).status, 401);
  const sessions = await server.database.db.selectFrom('sessions').select('id').where('user_id', '=', ada.id).execute();
  assert.deepEqual(sessions, [], 'no session made from the old password');
});
