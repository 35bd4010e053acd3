import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { assertPasswordPolicy, hashPassword } from '../auth/password.ts';
import { requireAdmin } from '../auth/policy.ts';
import { deleteUserSessions } from '../auth/session.repository.ts';
import type { Database, Role } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { findOrgById } from '../orgs/org.repository.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import {
  findUserForUpdate,
  findUserView,
  insertUser,
  listUserViews,
  lockActiveAdmins,
  lockUsernames,
  type Profile,
  type UserFilter,
  type UserView,
  updateUser,
  usernameExists,
} from './user.repository.ts';
import type { CreateUserInput, Me, UpdateUserInput, User } from './user.schemas.ts';

export type PasswordPolicy = { minLength: number };

/** A person as the rest of the product shows it: name, roles, OPD and unit. */
export function presentMe(p: Profile): Me {
  return {
    id: p.id,
    username: p.username,
    fullName: p.full_name,
    nip: p.nip,
    email: p.email,
    phone: p.phone,
    roles: p.roles,
    opd: p.opd_id && p.opd_code && p.opd_name ? { id: p.opd_id, code: p.opd_code, name: p.opd_name } : null,
    unit:
      p.unit_id && p.unit_code && p.unit_name
        ? { id: p.unit_id, code: p.unit_code, name: p.unit_name }
        : null,
  };
}

export function presentUser(v: UserView): User {
  return {
    ...presentMe(v),
    active: v.active,
    createdAt: v.created_at.toISOString(),
    updatedAt: v.updated_at.toISOString(),
    lastLoginAt: v.last_login_at?.toISOString() ?? null,
  };
}

function roleError(message: string, path: string): AppError {
  return new AppError('ROLE_RULES', message, { details: { fields: [{ path, message }] } });
}

/**
 * The organisation rules of a user: an OPD user holds only the `opd` role and belongs to one active
 * OPD; DKISP staff belong to no OPD and may belong to a DKISP unit.
 */
async function checkOrgRules(
  trx: Kysely<Database>,
  v: { roles: Role[]; opdId: string | null; unitId: string | null },
  opdChanged: boolean,
): Promise<void> {
  if (v.roles.includes('opd')) {
    if (v.roles.length > 1) throw roleError('The OPD role cannot be combined with DKISP roles', 'roles');
    if (!v.opdId) throw roleError('An OPD user needs an OPD', 'opdId');
    if (v.unitId) throw roleError('An OPD user does not belong to a DKISP unit', 'unitId');
  } else if (v.opdId) {
    throw roleError('Only users with the OPD role belong to an OPD', 'opdId');
  }
  if (v.opdId && opdChanged) {
    const opd = await findOrgById(trx, 'opds', v.opdId);
    if (!opd) throw roleError('No such OPD', 'opdId');
    if (!opd.active) {
      throw new AppError('OPD_INACTIVE', 'That OPD is inactive', {
        details: { fields: [{ path: 'opdId', message: 'inactive' }] },
      });
    }
  }
  if (v.unitId && !(await findOrgById(trx, 'units', v.unitId))) throw roleError('No such unit', 'unitId');
}

export async function listUsers(
  db: Kysely<Database>,
  filter: UserFilter,
  page: PageInput,
  ctx: Ctx,
): Promise<Page<User>> {
  requireAdmin(ctx.actor);
  const { rows, total } = await listUserViews(db, filter, page);
  return { items: rows.map(presentUser), total, ...page };
}

export async function getUser(db: Kysely<Database>, id: string, ctx: Ctx): Promise<User> {
  requireAdmin(ctx.actor);
  const v = await findUserView(db, id);
  if (!v) throw notFound('User');
  return presentUser(v);
}

export async function createUser(
  trx: Kysely<Database>,
  input: CreateUserInput,
  policy: PasswordPolicy,
  ctx: Ctx,
): Promise<User> {
  requireAdmin(ctx.actor);
  const opdId = input.opdId ?? null;
  const unitId = input.unitId ?? null;
  await checkOrgRules(trx, { roles: input.roles, opdId, unitId }, true);
  assertPasswordPolicy(input.password, policy, input.username);
  await lockUsernames(trx);
  if (await usernameExists(trx, input.username)) {
    throw new AppError('USERNAME_TAKEN', 'That username is already used', {
      details: { fields: [{ path: 'username', message: 'already used' }] },
    });
  }
  const id = await insertUser(trx, {
    username: input.username,
    full_name: input.fullName,
    nip: input.nip ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    roles: input.roles,
    opd_id: opdId,
    unit_id: unitId,
    password_hash: await hashPassword(input.password),
  });
  const user = presentUser((await findUserView(trx, id)) as UserView);
  await recordAudit(trx, ctx, {
    action: 'user.create',
    entityType: 'user',
    entityId: id,
    details: { after: user },
  });
  return user;
}

export async function updateUserProfile(
  trx: Kysely<Database>,
  id: string,
  input: UpdateUserInput,
  ctx: Ctx,
): Promise<User> {
  requireAdmin(ctx.actor);
  const cur = await findUserForUpdate(trx, id);
  if (!cur) throw notFound('User');
  const before = presentUser((await findUserView(trx, id)) as UserView);
  const next = {
    roles: input.roles ?? cur.roles,
    opdId: input.opdId !== undefined ? input.opdId : cur.opd_id,
    unitId: input.unitId !== undefined ? input.unitId : cur.unit_id,
    active: input.active ?? cur.active,
  };
  await checkOrgRules(trx, next, next.opdId !== cur.opd_id);

  const losesAdmin =
    cur.roles.includes('admin') && cur.active && (!next.roles.includes('admin') || !next.active);
  if (!next.active && cur.active && id === ctx.actor.id) {
    throw new AppError('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account');
  }
  if (losesAdmin) {
    const admins = await lockActiveAdmins(trx);
    if (admins.filter((a) => a !== id).length === 0) {
      throw new AppError('LAST_ADMIN', 'At least one active administrator must remain');
    }
  }
  await updateUser(trx, id, {
    full_name: input.fullName,
    nip: input.nip,
    email: input.email,
    phone: input.phone,
    roles: input.roles,
    opd_id: input.opdId,
    unit_id: input.unitId,
    active: input.active,
  });
  // A deactivated user, or one whose access changed, signs in again.
  const rolesChanged = input.roles !== undefined && input.roles.join() !== cur.roles.join();
  if (!next.active || rolesChanged || next.opdId !== cur.opd_id) await deleteUserSessions(trx, id);
  const after = presentUser((await findUserView(trx, id)) as UserView);
  const action =
    cur.active && !next.active
      ? 'user.deactivate'
      : !cur.active && next.active
        ? 'user.activate'
        : 'user.update';
  await recordAudit(trx, ctx, { action, entityType: 'user', entityId: id, details: { before, after } });
  return after;
}

/** An administrator sets a user's password; all of that user's sessions end. */
export async function setUserPassword(
  trx: Kysely<Database>,
  id: string,
  password: string,
  policy: PasswordPolicy,
  ctx: Ctx,
): Promise<void> {
  requireAdmin(ctx.actor);
  const cur = await findUserForUpdate(trx, id);
  if (!cur) throw notFound('User');
  assertPasswordPolicy(password, policy, cur.username);
  await updateUser(trx, id, { password_hash: await hashPassword(password), password_changed_at: new Date() });
  await deleteUserSessions(trx, id);
  await recordAudit(trx, ctx, { action: 'user.set_password', entityType: 'user', entityId: id });
}
