import type { Kysely } from 'kysely';

/** The {{snakeCase name}} table behind /api/v1/{{kebabCase name}}. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('{{snakeCase name}}')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
{{#if (is access 'owner')}}
    .addColumn('owner_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
{{/if}}
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('{{snakeCase name}}_created_at_id').on('{{snakeCase name}}').columns(['created_at', 'id']).execute();
{{#if (is access 'owner')}}
  await db.schema.createIndex('{{snakeCase name}}_owner_id').on('{{snakeCase name}}').column('owner_id').execute();
{{/if}}
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('{{snakeCase name}}').execute();
}
