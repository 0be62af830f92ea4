import { randomUUID } from 'node:crypto';
import { hashPassword } from './password.ts';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly passwordHash: string;
}

/** What the API shows of a user: never the password hash. */
export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
}

export function toPublicUser(user: User): PublicUser {
  return { id: user.id, email: user.email, name: user.name };
}

export interface UserStore {
  /** Undefined when the email is taken. */
  create(input: { email: string; password: string; name?: string | undefined }): Promise<User | undefined>;
  findById(id: string): User | undefined;
  findByEmail(email: string): User | undefined;
  /** Users after `cursor` (an id), oldest first. */
  list(options: { limit: number; cursor?: string | undefined }): { users: User[]; nextCursor: string | null };
}

/**
 * Example data kept in memory: the routes show the pattern, not a database. Swap this for a real
 * repository with the same shape; use parameterized queries there, never string concatenation.
 */
export function createUserStore(): UserStore {
  const byId = new Map<string, User>();
  const idByEmail = new Map<string, string>();

  return {
    async create({ email, password, name }) {
      if (idByEmail.has(email)) return undefined;
      const passwordHash = await hashPassword(password);
      // Checked again: another request may have taken the email while this one was hashing.
      if (idByEmail.has(email)) return undefined;
      const user: User = Object.freeze({ id: randomUUID(), email, name: name ?? null, passwordHash });
      byId.set(user.id, user);
      idByEmail.set(email, user.id);
      return user;
    },

    findById: (id) => byId.get(id),

    findByEmail(email) {
      const id = idByEmail.get(email);
      return id === undefined ? undefined : byId.get(id);
    },

    list({ limit, cursor }) {
      const all = [...byId.values()];
      const start = cursor === undefined ? 0 : all.findIndex((user) => user.id === cursor) + 1;
      const users = all.slice(start, start + limit);
      const last = users.at(-1);
      return { users, nextCursor: last !== undefined && start + limit < all.length ? last.id : null };
    },
  };
}
