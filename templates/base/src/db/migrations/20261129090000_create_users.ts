import { sql, type Kysely } from 'kysely';

/** Users: a normalized unique email, a password hash, a role. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('email', 'text', (column) => column.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('password_hash', 'text', (column) => column.notNull())
    // When the password last changed: a login that checked the password before that gets no session.
    .addColumn('password_changed_at', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('role', 'text', (column) => column.notNull().defaultTo('user').check(sql`role in ('user', 'admin')`))
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();
  // The order of the user list, and what its cursor points into.
  await db.schema.createIndex('users_created_at_id').on('users').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
