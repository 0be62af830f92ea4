/* eslint-disable @typescript-eslint/no-unused-vars -- empty until its change is written: remove this line then */
import type { Kysely } from 'kysely';

// Not applied while this line is here: delete it, and the file's first line, once up() and down() are
// written. Without it a server already running (`npm run dev`) would apply the file still empty.
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
