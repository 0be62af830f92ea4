import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserStore } from '../src/users/user-store.ts';
import { newUser, PASSWORD, send, signIn, startApp, type SignedIn, type TestServer } from './helpers.ts';

/**
 * What ends or narrows a session counts from the very next request, on every instance of the app: the
 * session and the user's role are read from the database with each request, and nothing caches them.
 * Each case uses the session on both instances first (anything that would cache it has it), ends it
 * or changes the role through one instance (or from outside, as `npm run user:role` does), then asks
 * both again.
 */
interface Case {
  readonly name: string;
  /** The request the change must affect, and what it answers before and after. */
  readonly path: string;
  readonly before: number;
  readonly after: number;
  /** Makes the user and the session under test; `other` is another session of the same user. */
  readonly signedIn: (first: TestServer) => Promise<{ session: SignedIn; other: SignedIn }>;
  readonly change: (first: TestServer, session: SignedIn, other: SignedIn) => Promise<void>;
}

const expectStatus = async (response: Promise<Response>, status: number, what: string) => {
  const res = await response;
  assert.equal(res.status, status, `${what}: ${await res.text()}`);
};

const twoSessions = async (server: TestServer, role: 'user' | 'admin' = 'user') => {
  const session = await newUser(server, 'ada@example.com', role);
  return { session, other: await signIn(server.url, 'ada@example.com') };
};

const cases: Case[] = [
  {
    name: 'a logout',
    path: '/api/v1/users/me',
    before: 200,
    after: 401,
    signedIn: (first) => twoSessions(first),
    change: (first, session) => expectStatus(send('POST', `${first.url}/api/v1/auth/logout`, session.headers), 204, 'logout'),
  },
  {
    name: 'a password change (for the other sessions)',
    path: '/api/v1/users/me',
    before: 200,
    after: 401,
    signedIn: async (first) => {
      const { session, other } = await twoSessions(first);
      return { session: other, other: session };
    },
    change: (first, _session, changer) =>
      expectStatus(send('PATCH', `${first.url}/api/v1/users/me/password`, changer.headers, { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' }), 204, 'password change'),
  },
  {
    name: 'a session ended from the sessions list',
    path: '/api/v1/users/me',
    before: 200,
    after: 401,
    signedIn: (first) => twoSessions(first),
    change: async (first, session, other) => {
      const listed = (await (await send('GET', `${first.url}/api/v1/users/me/sessions`, session.headers)).json()) as { items: { id: string; current: boolean }[] };
      const id = listed.items.find((item) => item.current)?.id ?? '';
      await expectStatus(send('DELETE', `${first.url}/api/v1/users/me/sessions/${id}`, other.headers), 204, 'ending the session');
    },
  },
  {
    name: 'a role change (admin to user, as npm run user:role makes it)',
    path: '/api/v1/users',
    before: 200,
    after: 403,
    signedIn: (first) => twoSessions(first, 'admin'),
    change: async (first) => {
      assert.ok(await createUserStore(first.database.db).setRole('ada@example.com', 'user'));
    },
  },
];

for (const { name, path, before, after, signedIn, change } of cases) {
  test(`${name} counts from the next request, on every instance`, async (t) => {
    const first = await startApp(t);
    const second = await startApp(t, {}, { database: first.database });
    const { session, other } = await signedIn(first);
    for (const instance of [first, second]) await expectStatus(send('GET', `${instance.url}${path}`, session.headers), before, `before, ${instance.url}`);

    await change(first, session, other);

    for (const instance of [second, first]) await expectStatus(send('GET', `${instance.url}${path}`, session.headers), after, `after, ${instance.url}`);
  });
}
