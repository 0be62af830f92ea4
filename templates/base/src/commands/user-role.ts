import './load-env-file.ts';
import { ConfigError, loadDatabaseConfig } from '../config.ts';
import { failureReason, openDatabase } from '../db/database.ts';
import { createLogger } from '../log.ts';
import { email as emailSchema } from '../routes/users.ts';
import { createUserStore, type Role } from '../users/user-store.ts';

const USAGE = 'usage: npm run user:role -- <email> <admin|user>';
const ROLES: readonly Role[] = ['admin', 'user'];

/**
 * `npm run user:role -- <email> <admin|user>`: sets a user's role in the configured database. Nobody
 * can make themself an admin through the API; this command, run by whoever operates the database, is
 * the way to make the first one. The change applies to the user's next request: roles are read with
 * each session.
 */
async function setRole(args: readonly string[]): Promise<string> {
  const [rawEmail, role, ...rest] = args;
  const email = emailSchema.safeParse(rawEmail ?? '');
  if (!email.success || !ROLES.includes(role as Role) || rest.length > 0) throw new ConfigError(USAGE);
  const database = await openDatabase(loadDatabaseConfig(), createLogger({ logLevel: 'silent' }));
  try {
    if (!(await createUserStore(database.db).setRole(email.data, role as Role))) throw new ConfigError(`No user has the email ${email.data}.`);
    return `${email.data} is now ${role === 'admin' ? 'an admin' : 'a user'}.`;
  } finally {
    await database.close();
  }
}

try {
  process.stdout.write(`${await setRole(process.argv.slice(2))}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `user:role: ${failureReason(error)}`}\n`);
  process.exitCode = 1;
}
