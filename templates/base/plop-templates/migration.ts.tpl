/* eslint-disable @typescript-eslint/no-unused-vars -- empty until its change is written: remove this line then */
import type { Kysely } from 'kysely';

// While this file exports `unfinished` it is never applied, so a server already running (`npm run dev`)
// cannot apply it empty. Once up() and down() are written, delete the next line and the file's first.
export const unfinished = true;

/**
 * {{name}}. Applied by the server at start (and by `npm run db:migrate`), once, in the order of the
 * file names. Change src/db/schema.ts to match. Use Kysely's schema builder, or `sql` for what it
 * cannot say; never build SQL from request data. Once applied here, leave it as it is: a change
 * goes in a new migration (the server reports an applied file that changed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // For example:
  // await db.schema.alterTable('orders').addColumn('status', 'text', (column) => column.notNull().defaultTo('new')).execute();
}

/** Undoes `up`, for rolling back by hand. */
export async function down(db: Kysely<unknown>): Promise<void> {
  // await db.schema.alterTable('orders').dropColumn('status').execute();
}
