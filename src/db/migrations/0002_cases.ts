import type { Kysely } from 'kysely';

// Placeholder while this migration is being written; it ships filled, never empty.
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
