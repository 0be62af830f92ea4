import { sql, type Kysely } from 'kysely';

/**
 * Email verification and password reset: when each user's address was verified, and the tokens of
 * the links in mails, stored by hash.
 *
 * Users who existed before this migration count as verified (since they signed up): they could sign
 * in until now, and locking them out on an upgrade would be an outage. Every account created after it
 * proves its address first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_verified_at', 'bigint').execute();
  await sql`update users set email_verified_at = created_at`.execute(db);

  await db.schema
    .createTable('mail_tokens')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (column) => column.notNull().check(sql`kind in ('verify-email', 'reset-password')`))
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  // At most one unused token per user and kind: a newer one replaces it, even when two are issued at once.
  await db.schema
    .createIndex('mail_tokens_one_unused')
    .on('mail_tokens')
    .columns(['user_id', 'kind'])
    .unique()
    .where(sql.ref('used_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mail_tokens').execute();
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
}
