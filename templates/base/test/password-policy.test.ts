import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newUser, PASSWORD, postJson, startApp } from './helpers.ts';

interface Problem {
  errors?: { path: string; message: string }[];
}

/** Signs up with `password` and returns the status and the body's text, which must never hold the password. */
async function signUpWith(url: string, email: string, password: string): Promise<{ status: number; problem: Problem }> {
  const res = await postJson(`${url}/api/v1/users`, { email, password });
  const text = await res.text();
  assert.ok(!text.includes(password), 'the password is never echoed');
  return { status: res.status, problem: JSON.parse(text) as Problem };
}

const refusedPasswords = [
  { password: 'password1234', rule: /most common passwords/ },
  { password: 'PassWord1234', rule: /most common passwords/ },
  { password: 'qwerty123456', rule: /most common passwords/ },
  { password: ' '.repeat(12), rule: /only spaces/ },
  { password: '\t \u00a0'.repeat(6), rule: /only spaces/ },
  { password: 'short pass', rule: /at least 12 characters/ },
];

test('sign-up refuses the most common passwords, blank ones and short ones, naming the rule', async (t) => {
  const { url } = await startApp(t);
  for (const [index, { password, rule }] of refusedPasswords.entries()) {
    const { status, problem } = await signUpWith(url, `user${String(index)}@example.com`, password);
    assert.equal(status, 400, JSON.stringify(password));
    assert.equal(problem.errors?.[0]?.path, 'body.password');
    assert.match(problem.errors[0].message, rule);
  }
  assert.equal((await signUpWith(url, 'fine@example.com', PASSWORD)).status, 202);
});

test('sign-up refuses a password that holds the local part of the email, in any case', async (t) => {
  const { url } = await startApp(t);
  const { status, problem } = await signUpWith(url, 'Grace.Hopper@example.com', 'my name is grace.HOPPER!');
  assert.equal(status, 400);
  assert.deepEqual(problem.errors, [{ path: 'body.password', message: 'The password must not contain the part of the email address before the @' }]);
  // A local part of one or two characters is too short to count: `al` is in many good passwords.
  assert.equal((await signUpWith(url, 'al@example.com', 'totally normal passphrase')).status, 202);
});

test('a password change follows the same policy: common passwords and the email name are refused', async (t) => {
  const server = await startApp(t);
  const ada = await newUser(server, 'ada.lovelace@example.com');
  const change = (newPassword: string) =>
    postJson(`${server.url}/api/v1/users/me/password`, { currentPassword: PASSWORD, newPassword }, ada.headers, 'PATCH');

  const common = await change('1qaz2wsx3edc');
  assert.equal(common.status, 400);
  assert.match(await common.text(), /"path":"body.newPassword","message":"The password is one of the most common/);

  const withName = await change('ADA.LOVELACE counts numbers');
  assert.equal(withName.status, 400);
  assert.match(await withName.text(), /"path":"body.newPassword","message":"The password must not contain the part of the email/);

  assert.equal((await change('a brand new passphrase')).status, 204);
});

test('a password holding half of a character (a lone surrogate) is refused wherever one is given, naming the field', async (t) => {
  const server = await startApp(t);
  const ada = await newUser(server, 'ada@example.com');
  // Hashed as UTF-8, both halves would become U+FFFD: two different passwords, one hash.
  for (const half of ['\ud800', '\udfff']) {
    const password = `correct horse ${half} staple`;
    const attempts: [path: string, field: string, body: Record<string, string>, method?: string][] = [
      ['/api/v1/users', 'password', { email: 'new@example.com', password }],
      ['/api/v1/auth/login', 'password', { email: 'ada@example.com', password }],
      ['/api/v1/users/me/password', 'currentPassword', { currentPassword: password, newPassword: 'a brand new passphrase' }, 'PATCH'],
      ['/api/v1/users/me/password', 'newPassword', { currentPassword: PASSWORD, newPassword: password }, 'PATCH'],
      ['/api/v1/auth/password-reset/confirm', 'newPassword', { token: 'A'.repeat(43), newPassword: password }],
    ];
    for (const [path, field, body, method] of attempts) {
      const res = await postJson(`${server.url}${path}`, body, ada.headers, method);
      assert.equal(res.status, 400, `${path} ${field}`);
      const { errors } = (await res.json()) as Problem;
      assert.equal(errors?.length, 1, `${path} ${field}`);
      assert.equal(errors[0]?.path, `body.${field}`);
      assert.match(errors[0].message, /lone surrogate/);
    }
  }
  // Whole characters beyond U+FFFF (a surrogate pair, such as an emoji) are welcome.
  assert.equal((await signUpWith(server.url, 'rider@example.com', 'correct horse \u{1F40E} staple')).status, 202);
});
