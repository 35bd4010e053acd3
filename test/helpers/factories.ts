import type { Kysely } from 'kysely';
import { hashPassword } from '../../src/auth/password.ts';
import type { Database, OrgRow, Role } from '../../src/db/schema.ts';

let seq = 0;
/** A short unique suffix, so rows from different tests in one database never collide. */
export function uniq(): string {
  seq += 1;
  return `${process.pid.toString(36)}${seq.toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
}

export const DEFAULT_PASSWORD = 'Kopi-Tubruk-Pagi-2026';
let defaultHash: Promise<string> | undefined;

export async function buildOpd(
  db: Kysely<Database>,
  overrides: Partial<{ code: string; name: string; active: boolean }> = {},
): Promise<OrgRow> {
  const code = overrides.code ?? `OPD${uniq()}`;
  return db
    .insertInto('opds')
    .values({ code, name: overrides.name ?? `Dinas ${code}`, active: overrides.active ?? true })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type BuiltUser = {
  id: string;
  username: string;
  password: string;
  roles: Role[];
  opdId: string | null;
};

/** Inserts a real user row; an `opd` user gets a fresh OPD unless one is given. */
export async function buildUser(
  db: Kysely<Database>,
  overrides: Partial<{
    username: string;
    fullName: string;
    roles: Role[];
    opdId: string | null;
    password: string;
    active: boolean;
  }> = {},
): Promise<BuiltUser> {
  const roles = overrides.roles ?? ['staf'];
  const username = overrides.username ?? `u${uniq().toLowerCase()}`;
  let opdId = overrides.opdId ?? null;
  if (roles.includes('opd') && !opdId) opdId = (await buildOpd(db)).id;
  const password = overrides.password ?? DEFAULT_PASSWORD;
  defaultHash ??= hashPassword(DEFAULT_PASSWORD);
  const hash = password === DEFAULT_PASSWORD ? await defaultHash : await hashPassword(password);
  const row = await db
    .insertInto('users')
    .values({
      username,
      full_name: overrides.fullName ?? `Pegawai ${username}`,
      roles,
      opd_id: opdId,
      password_hash: hash,
      active: overrides.active ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, username, password, roles, opdId };
}
