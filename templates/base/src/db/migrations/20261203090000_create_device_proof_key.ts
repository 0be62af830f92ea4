import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

type Settings = Kysely<{ settings: { name: string; value: string } }>;

/**
 * The key that signs device proofs (src/auth/device-proof.ts), made here once and shared by every
 * instance. Replacing its value makes every known device a stranger again until it next signs in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await (db as Settings)
    .insertInto('settings')
    .values({ name: 'device_proof_key', value: randomBytes(32).toString('base64url') })
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await (db as Settings).deleteFrom('settings').where('name', '=', 'device_proof_key').execute();
}
