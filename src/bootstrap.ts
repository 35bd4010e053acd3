import type { Kysely } from 'kysely';
import { recordAudit } from './audit/audit.service.ts';
import { assertPasswordPolicy, generatePassword, hashPassword } from './auth/password.ts';
import type { Database } from './db/schema.ts';
import { systemCtx } from './shared/context.ts';
import { insertUser, lockUsernames } from './users/user.repository.ts';

/**
 * On the very first start (no user at all) creates the administrator. Returns the generated
 * password when none was configured, so the caller prints it once; undefined otherwise.
 */
export async function ensureFirstAdmin(
  db: Kysely<Database>,
  admin: { username: string; password: string | undefined },
  policy: { minLength: number },
): Promise<{ created: boolean; generatedPassword?: string }> {
  const password = admin.password ?? generatePassword();
  assertPasswordPolicy(password, policy, admin.username);
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await lockUsernames(trx);
    const any = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (any) return { created: false };
    const id = await insertUser(trx, {
      username: admin.username,
      full_name: 'Administrator',
      roles: ['admin'],
      password_hash: hash,
    });
    await recordAudit(trx, systemCtx('first-start'), {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      details: { username: admin.username, roles: ['admin'], reason: 'first start' },
    });
    return admin.password ? { created: true } : { created: true, generatedPassword: password };
  });
}

/** What the console shows once when the first administrator was created with a generated password. */
export function firstAdminNotice(username: string, password: string): string[] {
  return [
    '',
    '  Loket: akun administrator pertama dibuat / first administrator account created',
    `    username: ${username}`,
    `    password: ${password}`,
    '  Simpan kata sandi ini sekarang; tidak akan ditampilkan lagi. / Store it now; it is not shown again.',
    '',
  ];
}
