import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { accountHasher } from '../src/auth/account-hash.ts';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { createMailTokenStore } from '../src/auth/mail-tokens.ts';
import { createSessionStore } from '../src/auth/sessions.ts';
import { loadDatabaseConfig } from '../src/config.ts';
import { connect } from '../src/db/database.ts';
import { engine } from '../src/db/engine.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import * as createUsers from '../src/db/migrations/20261129090000_create_users.ts';
import * as createSessions from '../src/db/migrations/20261129090100_create_sessions.ts';
import { createLogger } from '../src/log.ts';
import { createUserStore, UNVERIFIED_ACCOUNT_KEPT_MS } from '../src/users/user-store.ts';
import { captureLogs, databaseEnv, PASSWORD, postJson, signIn, signUp, signUpByMail, startApp } from './helpers.ts';
import { startMailServer, tokenIn } from './mail-server.ts';

const NEW_PASSWORD = 'a brand new passphrase';

/** A status and its problem, without the request id that differs from one request to the next. */
async function answerOf(res: Response): Promise<{ status: number; problem: Record<string, unknown> }> {
  const problem = (await res.json()) as Record<string, unknown>;
  delete problem.requestId;
  return { status: res.status, problem };
}

test('sign-up -> the verification mail -> verify -> login; before that, the right password gets the 401 of a wrong one', async (t) => {
  const mail = await startMailServer(t);
  const { url } = await startApp(t, mail.env);
  const signUpRes = await postJson(`${url}/api/v1/users`, { email: 'Ada@Example.com', password: PASSWORD });
  assert.equal(signUpRes.status, 202);

  const login = (password: string) => postJson(`${url}/api/v1/auth/login`, { email: 'ada@example.com', password });
  const early = await answerOf(await login(PASSWORD));
  assert.equal(early.status, 401);
  assert.match(String(early.problem.detail), /not confirmed yet/, 'the answer says what to do, to everyone');
  assert.deepEqual(early, await answerOf(await login('wrong horse battery')), 'nothing says the account waits, nor that the password was right');

  const received = await mail.next('ada@example.com');
  assert.equal(received.subject, 'Confirm your email address');
  const token = tokenIn(received, 'verify-email');
  assert.equal(token.length, 43, '256 random bits, base64url');
  assert.equal((await postJson(`${url}/api/v1/auth/verify-email`, { token })).status, 204);
  assert.equal((await login(PASSWORD)).status, 200);
});

test('a taken address: the same 202 and body as a new one; its owner is mailed a reset link, and the password stays theirs', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  await signUp(server, 'owner@example.com');
  const fresh = await postJson(`${server.url}/api/v1/users`, { email: 'new@example.com', password: PASSWORD });
  const taken = await postJson(`${server.url}/api/v1/users`, { email: 'owner@example.com', password: 'the intruder chose this' });
  assert.deepEqual([fresh.status, taken.status], [202, 202]);
  assert.deepEqual(await taken.json(), await fresh.json());
  assert.deepEqual([...taken.headers.keys()].filter((name) => name !== 'date' && name !== 'x-request-id'), [...fresh.headers.keys()].filter((name) => name !== 'date' && name !== 'x-request-id'));

  const notice = await mail.next('owner@example.com');
  assert.equal(notice.subject, 'Someone tried to sign up with your email address');
  const token = tokenIn(notice, 'reset-password');
  assert.equal((await postJson(`${server.url}/api/v1/auth/login`, { email: 'owner@example.com', password: 'the intruder chose this' })).status, 401);
  assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: NEW_PASSWORD })).status, 204);
  assert.equal((await signIn(server.url, 'owner@example.com', NEW_PASSWORD)).user.email, 'owner@example.com');
});

test('a password change retires the reset link already mailed: whoever else holds it can no longer set the password', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  await signUp(server, 'owner@example.com');
  assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'owner@example.com' })).status, 202);
  const token = tokenIn(await mail.next('owner@example.com'), 'reset-password');

  // The owner, who fears someone else reads their mail, changes the password while signed in.
  const owner = await signIn(server.url, 'owner@example.com');
  const changed = await postJson(`${server.url}/api/v1/users/me/password`, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, owner.headers, 'PATCH');
  assert.equal(changed.status, 204);
  const reset = await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: 'the intruder chose this' });
  assert.equal(reset.status, 400, 'the link mailed before the change sets no password');
  assert.equal((await signIn(server.url, 'owner@example.com', NEW_PASSWORD)).user.email, 'owner@example.com');
});

const VICTIM = 'victim@example.com';
const STRANGER_PASSWORD = 'the attacker chose this one';

/**
 * Where a pre-account hijacking starts: an app with a mail server of its own, on which a stranger has
 * signed up the victim's address with a password of their own. `trap` is the verification mail the
 * victim got for it.
 */
async function victimSignedUpByAStranger(t: TestContext) {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  const post = (path: string, body: Record<string, string>) => postJson(`${server.url}/api/v1${path}`, body);
  assert.equal((await post('/users', { email: VICTIM, password: STRANGER_PASSWORD })).status, 202);
  const trap = await mail.next(VICTIM);
  return { mail, trap, post, login: (password: string) => post('/auth/login', { email: VICTIM, password }), mailSettled: server.mailSettled };
}

test('sign-up then login with a password of one\'s own: the same answer for a new and a taken address', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  await signUp(server, 'owner@example.com');
  // Anyone may sign up any address with a password they chose: if signing in with it answered
  // differently when the sign-up made an account, the pair would say which addresses had one.
  const signUpThenLogin = async (email: string) => {
    assert.equal((await postJson(`${server.url}/api/v1/users`, { email, password: STRANGER_PASSWORD })).status, 202);
    return answerOf(await postJson(`${server.url}/api/v1/auth/login`, { email, password: STRANGER_PASSWORD }));
  };
  assert.deepEqual(await signUpThenLogin('nobody@example.com'), await signUpThenLogin('owner@example.com'));
});

test('pre-account hijacking: the owner signing up an address someone else signed up kills the first verification link; the owner recovers by the reset link', async (t) => {
  const { mail, trap, post, login } = await victimSignedUpByAStranger(t);
  assert.match(trap.text, /If you did not sign up, ignore this mail/);

  assert.equal((await post('/users', { email: VICTIM, password: PASSWORD })).status, 202);
  const notice = await mail.next(VICTIM);
  assert.equal(notice.subject, 'Someone tried to sign up with your email address');
  const verified = await post('/auth/verify-email', { token: tokenIn(trap, 'verify-email') });
  assert.equal(verified.status, 400, 'the first mail\'s link no longer verifies the account');
  assert.equal((await login(STRANGER_PASSWORD)).status, 401, 'the password the stranger chose no longer signs in');

  assert.equal((await post('/auth/password-reset/confirm', { token: tokenIn(notice, 'reset-password'), newPassword: NEW_PASSWORD })).status, 204);
  assert.equal((await login(STRANGER_PASSWORD)).status, 401);
  assert.equal((await login(NEW_PASSWORD)).status, 200, 'the reset verified the address and set the owner\'s password');
});

test('pre-account hijacking through a resend: once the owner signed up, a verification link the stranger asks for opens the account to no one', async (t) => {
  const { mail, post, login } = await victimSignedUpByAStranger(t);
  assert.equal((await post('/users', { email: VICTIM, password: PASSWORD })).status, 202);
  const notice = await mail.next(VICTIM);

  // The stranger asks for the verification mail again; the owner, who just signed up, opens its link.
  assert.equal((await post('/auth/verify-email/resend', { email: VICTIM })).status, 202);
  const again = tokenIn(await mail.next(VICTIM), 'verify-email');
  assert.equal((await post('/auth/verify-email', { token: again })).status, 204);
  assert.equal((await login(STRANGER_PASSWORD)).status, 401, 'the stranger\'s password no longer signs in');
  assert.equal((await login(PASSWORD)).status, 401, 'a taken address never takes a second sign-up\'s password');

  assert.equal((await post('/auth/password-reset/confirm', { token: tokenIn(notice, 'reset-password'), newPassword: NEW_PASSWORD })).status, 204);
  assert.equal((await login(NEW_PASSWORD)).status, 200);
  assert.equal((await login(STRANGER_PASSWORD)).status, 401);
});

test('pre-account hijacking with the mail budget spent: the sign-up sends nothing, and still kills the verification link already mailed', async (t) => {
  const { mail, post, mailSettled } = await victimSignedUpByAStranger(t);
  for (let resend = 0; resend < 2; resend += 1) assert.equal((await post('/auth/verify-email/resend', { email: VICTIM })).status, 202);
  await mail.next(VICTIM);
  const latest = tokenIn(await mail.next(VICTIM), 'verify-email');

  assert.equal((await post('/users', { email: VICTIM, password: PASSWORD })).status, 202);
  await mailSettled();
  assert.equal(mail.received.length, 3, 'the budget of 3 mails was spent: no fourth');
  assert.equal((await post('/auth/verify-email', { token: latest })).status, 400);
});

test('accounts never verified are deleted a week on, with their tokens and sessions, unless a link mailed lately still works', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  const { db } = server.database;
  const users = createUserStore(db);
  const DAY = 24 * 60 * 60_000;
  assert.equal(UNVERIFIED_ACCOUNT_KEPT_MS, 7 * DAY);
  await signUp(server, 'verified@example.com');
  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'waiting@example.com', password: PASSWORD })).status, 202);
  await mail.next('waiting@example.com');
  const waiting = await users.findByEmail('waiting@example.com');
  assert.ok(waiting);
  await createSessionStore(db, { idleMs: 30 * DAY, maxAgeMs: 30 * DAY, maxPerUser: 10 }).create(waiting.id);
  assert.equal(await users.pruneUnverified(Date.now() + 6 * DAY), 0, 'a week has not passed');

  // A second sign-up a week on mails the owner a reset link: the account stays while it works.
  await db.updateTable('users').set({ created_at: Date.now() - 8 * DAY }).where('id', '=', waiting.id).execute();
  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'waiting@example.com', password: PASSWORD })).status, 202);
  const reset = tokenIn(await mail.next('waiting@example.com'), 'reset-password');
  assert.equal(await users.pruneUnverified(), 0, 'the reset link works for half an hour');

  assert.equal(await users.pruneUnverified(Date.now() + 60 * 60_000), 1);
  assert.deepEqual((await db.selectFrom('users').select('email').execute()).map((row) => row.email), ['verified@example.com']);
  assert.equal((await db.selectFrom('mail_tokens').select('id').where('user_id', '=', waiting.id).execute()).length, 0);
  assert.equal((await db.selectFrom('sessions').select('id').where('user_id', '=', waiting.id).execute()).length, 0);
  assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token: reset, newPassword: NEW_PASSWORD })).status, 400);
  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'waiting@example.com', password: PASSWORD })).status, 202);
  assert.equal((await mail.next('waiting@example.com')).subject, 'Confirm your email address', 'the address is free again');
});

test('reset: request -> mail -> confirm; every old session ends, the old password is a 401, the new one signs in', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  await signUp(server, 'ada@example.com');
  const first = await signIn(server.url, 'ada@example.com');
  const second = await signIn(server.url, 'ada@example.com');

  const asked = await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'ada@example.com' });
  assert.equal(asked.status, 202);
  const received = await mail.next('ada@example.com');
  assert.equal(received.subject, 'Reset your password');
  const token = tokenIn(received, 'reset-password');
  assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: NEW_PASSWORD })).status, 204);

  for (const session of [first, second]) assert.equal((await fetch(`${server.url}/api/v1/users/me`, { headers: session.headers })).status, 401);
  assert.equal((await postJson(`${server.url}/api/v1/auth/login`, { email: 'ada@example.com', password: PASSWORD })).status, 401);
  assert.equal((await postJson(`${server.url}/api/v1/auth/login`, { email: 'ada@example.com', password: NEW_PASSWORD })).status, 200);
});

test('password reset: 202 with the same body for a known and an unknown address; only the known one gets a mail', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  await signUp(server, 'known@example.com');
  const known = await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'known@example.com' });
  const unknown = await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'unknown@example.com' });
  assert.deepEqual([known.status, unknown.status], [202, 202]);
  assert.deepEqual(await known.json(), await unknown.json());
  await mail.next('known@example.com');
  await server.mailSettled();
  assert.deepEqual(mail.received.map((received) => received.to), ['known@example.com']);
});

test('a reset verifies the address, clears the failed logins of the account from this address, and the new password passes the sign-up policy', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, { ...mail.env, TRUST_PROXY: '1', RATE_LIMIT_AUTH: '2/1m' });
  const from = { 'x-forwarded-for': '198.51.100.7' };
  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'ben@example.com', password: PASSWORD }, from)).status, 202);
  await mail.next('ben@example.com');
  const login = (password: string) => postJson(`${server.url}/api/v1/auth/login`, { email: 'ben@example.com', password }, from);
  assert.deepEqual([(await login('wrong one')).status, (await login('wrong two')).status, (await login(PASSWORD)).status], [401, 401, 429]);

  assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'ben@example.com' }, from)).status, 202);
  const token = tokenIn(await mail.next('ben@example.com'), 'reset-password');
  const weak = await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: 'short' }, from);
  assert.equal(weak.status, 400);
  assert.equal(((await weak.json()) as { errors: { path: string }[] }).errors[0]?.path, 'body.newPassword');
  assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: NEW_PASSWORD }, from)).status, 204, 'a refused password does not spend the token');
  assert.equal((await login(NEW_PASSWORD)).status, 200, 'verified by the reset, and no longer limited');
});

test('tokens: used twice, expired, of the other kind, replaced by a newer one, malformed: each refused with a 400 that says why', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  const verify = (token: string) => postJson(`${server.url}/api/v1/auth/verify-email`, { token });
  const confirm = (token: string) => postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: NEW_PASSWORD });
  const detail = async (res: Response) => {
    assert.equal(res.status, 400);
    return ((await res.json()) as { detail: string }).detail;
  };

  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'cy@example.com', password: PASSWORD })).status, 202);
  const verifyToken = tokenIn(await mail.next('cy@example.com'), 'verify-email');
  assert.match(await detail(await confirm(verifyToken)), /not valid/, 'a verification token is no reset token');
  assert.equal((await verify(verifyToken)).status, 204);
  assert.match(await detail(await verify(verifyToken)), /already used/);

  await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'cy@example.com' });
  const older = tokenIn(await mail.next('cy@example.com'), 'reset-password');
  await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'cy@example.com' });
  const newer = tokenIn(await mail.next('cy@example.com'), 'reset-password');
  assert.match(await detail(await verify(newer)), /not valid/, 'a reset token is no verification token');
  assert.match(await detail(await confirm(older)), /not valid/, 'the newer link replaced the older one');
  assert.equal((await confirm(newer)).status, 204);
  assert.match(await detail(await confirm(newer)), /already used/);

  const user = await createUserStore(server.database.db).findByEmail('cy@example.com');
  assert.ok(user);
  const yesterday = createMailTokenStore(server.database.db, () => Date.now() - 25 * 60 * 60_000);
  assert.match(await detail(await verify(await yesterday.issue(user.id, 'verify-email'))), /expired/);
  const anHourAgo = createMailTokenStore(server.database.db, () => Date.now() - 60 * 60_000);
  assert.match(await detail(await confirm(await anHourAgo.issue(user.id, 'reset-password'))), /expired/);

  for (const malformed of ['', 'x', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, "' OR '1'='1"]) {
    const res = await verify(malformed);
    assert.equal(res.status, 400, malformed);
    assert.equal(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path, 'body.token');
  }
});

test('the database holds no mail token in clear: only its SHA-256', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  await postJson(`${server.url}/api/v1/users`, { email: 'di@example.com', password: PASSWORD });
  const token = tokenIn(await mail.next('di@example.com'), 'verify-email');
  const rows = await server.database.db.selectFrom('mail_tokens').selectAll().execute();
  assert.equal(rows.length, 1);
  const { createHash } = await import('node:crypto');
  assert.equal(rows[0]?.id, createHash('sha256').update(token).digest('base64url'));
  assert.ok(!JSON.stringify(rows).includes(token));
});

test('resend: 202 for any address; a mail only to an unverified account', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, mail.env);
  await signUp(server, 'verified@example.com');
  await postJson(`${server.url}/api/v1/users`, { email: 'waiting@example.com', password: PASSWORD });
  await mail.next('waiting@example.com');
  for (const email of ['verified@example.com', 'waiting@example.com', 'nobody@example.com']) {
    assert.equal((await postJson(`${server.url}/api/v1/auth/verify-email/resend`, { email })).status, 202, email);
  }
  const token = tokenIn(await mail.next('waiting@example.com'), 'verify-email');
  await server.mailSettled();
  assert.deepEqual(mail.received.map((received) => received.to), ['waiting@example.com', 'waiting@example.com']);
  assert.equal((await postJson(`${server.url}/api/v1/auth/verify-email`, { token })).status, 204);
});

test('mailbox flooding is capped: 3 mails per account per 30 minutes from any number of addresses, and the last link still works', async (t) => {
  const mail = await startMailServer(t);
  const server = await startApp(t, { ...mail.env, TRUST_PROXY: '1' });
  await signUp(server, 'eve@example.com');
  for (let i = 0; i < 10; i += 1) {
    const from = { 'x-forwarded-for': `198.51.100.${String(10 + i)}` };
    assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'eve@example.com' }, from)).status, 202);
  }
  // Sign-ups with the taken address and resends draw on the same budget.
  assert.equal((await postJson(`${server.url}/api/v1/users`, { email: 'eve@example.com', password: PASSWORD }, { 'x-forwarded-for': '198.51.100.99' })).status, 202);
  for (let i = 0; i < 3; i += 1) await mail.next('eve@example.com');
  await server.mailSettled();
  assert.equal(mail.received.length, 3);
  // The requests past the budget replaced no token: the newest link still works (mails may arrive in any order).
  const confirmed = [];
  for (const received of mail.received) {
    const token = tokenIn(received, 'reset-password');
    confirmed.push((await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: NEW_PASSWORD })).status);
  }
  assert.deepEqual(confirmed.toSorted(), [204, 400, 400]);
});

test('mail requests are limited per client address by the auth tier, whatever address they name', async (t) => {
  const server = await startApp(t, { TRUST_PROXY: '1', RATE_LIMIT_AUTH: '3/1m' });
  const from = { 'x-forwarded-for': '198.51.100.50' };
  const statuses = [];
  for (const [i, path] of ['password-reset', 'verify-email/resend', 'password-reset', 'password-reset'].entries()) {
    statuses.push((await postJson(`${server.url}/api/v1/auth/${path}`, { email: `p${String(i)}@example.com` }, from)).status);
  }
  assert.deepEqual(statuses, [202, 202, 202, 429]);
  assert.equal((await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'p@example.com' }, { 'x-forwarded-for': '198.51.100.51' })).status, 202);
});

test('no token and no email address in the logs, mail failures included: the account appears as its keyed hash', async (t) => {
  const mail = await startMailServer(t);
  const { logger, lines } = captureLogs('trace');
  const server = await startApp(t, mail.env, { logger });
  await signUpByMail(server.url, mail, 'fay@example.com');
  await postJson(`${server.url}/api/v1/auth/password-reset`, { email: 'fay@example.com' });
  const token = tokenIn(await mail.next('fay@example.com'), 'reset-password');
  await postJson(`${server.url}/api/v1/auth/password-reset/confirm`, { token, newPassword: NEW_PASSWORD });

  // A mail server that refuses connections: the failure is logged, without the address.
  const { logger: failingLogger, lines: failingLines } = captureLogs('trace');
  const unreachable = await startApp(t, { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'no-reply@example.com' }, { logger: failingLogger });
  await signUp(unreachable, 'gus@example.com');
  await postJson(`${unreachable.url}/api/v1/auth/password-reset`, { email: 'gus@example.com' });
  await unreachable.mailSettled();
  const failure = failingLines().find((line) => line.event === 'mail_failed');
  assert.ok(failure, 'the failed delivery is logged');
  assert.equal(failure.account, accountHasher(unreachable.database.accountKey)('gus@example.com'));

  const tokens = mail.received.map((received) => /token=([A-Za-z0-9_-]+)/.exec(received.text)?.[1] ?? 'none');
  const logged = JSON.stringify([...lines(), ...failingLines()]);
  for (const secret of [...tokens, 'fay@example.com', 'gus@example.com', 'fay%40example.com']) {
    assert.ok(!logged.includes(secret), `${secret.slice(0, 8)}... is in the log`);
  }
  assert.ok(lines().some((line) => line.event === 'mail_sent' && typeof line.account === 'string'), 'deliveries are logged by account');
});

test('accounts made before email verification existed count as verified once migrated; new ones do not', async (t) => {
  const connection = await connect(loadDatabaseConfig({ NODE_ENV: 'test', ...(await databaseEnv(t)) }), createLogger({ logLevel: 'silent' }));
  t.after(() => connection.close());
  // The database of a project generated before: its first two migrations, and a user in it.
  const before = { '20261129090000_create_users': createUsers, '20261129090100_create_sessions': createSessions };
  // Its tables in the test's own schema, as the app's migrations keep them: not another test's beside it.
  const schema = await engine.migrationTableSchema(connection.db);
  const migrator = new Migrator({ db: connection.db, provider: { getMigrations: () => Promise.resolve(before) }, ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
  const { error } = await migrator.migrateToLatest();
  assert.equal(error, undefined);
  await sql`insert into users (id, email, name, password_hash, role, created_at) values ('00000000-0000-4000-8000-000000000001', 'old@example.com', null, 'x', 'user', 1000)`.execute(connection.db);

  assert.ok((await migrateToLatest(connection.db)).includes('20261203120000_add_mail_tokens'));
  const users = createUserStore(connection.db);
  assert.equal((await users.findByEmail('old@example.com'))?.emailVerifiedAt, 1000);
  await users.create({ email: 'new@example.com', passwordHash: 'x' });
  assert.equal((await users.findByEmail('new@example.com'))?.emailVerifiedAt, null);
});
