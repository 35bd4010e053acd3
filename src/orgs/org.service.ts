import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { opdScope, requireAdmin, requireDkisp } from '../auth/policy.ts';
import type { Database, OrgRow } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page, PageInput } from '../shared/pagination.ts';
import {
  findOrgByCode,
  findOrgById,
  findOrgByIdForUpdate,
  insertOrg,
  listOrgs,
  lockOrgCodes,
  type OrgFilter,
  type OrgTableName,
  updateOrg,
} from './org.repository.ts';
import type { CreateOrgInput, Org, UpdateOrgInput } from './org.schemas.ts';

const KIND = {
  opds: { entity: 'opd', label: 'OPD', taken: 'OPD_CODE_TAKEN' },
  units: { entity: 'unit', label: 'Unit', taken: 'UNIT_CODE_TAKEN' },
} as const;

export function presentOrg(r: OrgRow): Org {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * Who may read which organisations: an OPD user sees only its own OPD; DKISP staff see every OPD;
 * units are internal to DKISP.
 */
function readScope(table: OrgTableName, ctx: Ctx): { onlyId?: string } {
  if (table === 'units') {
    requireDkisp(ctx.actor);
    return {};
  }
  const own = opdScope(ctx.actor);
  return own ? { onlyId: own } : {};
}

export async function listOrganisations(
  db: Kysely<Database>,
  table: OrgTableName,
  filter: Omit<OrgFilter, 'onlyId'>,
  page: PageInput,
  ctx: Ctx,
): Promise<Page<Org>> {
  const { rows, total } = await listOrgs(db, table, { ...filter, ...readScope(table, ctx) }, page);
  return { items: rows.map(presentOrg), total, ...page };
}

export async function getOrganisation(
  db: Kysely<Database>,
  table: OrgTableName,
  id: string,
  ctx: Ctx,
): Promise<Org> {
  const scope = readScope(table, ctx);
  if (scope.onlyId && scope.onlyId !== id) throw notFound(KIND[table].label);
  const row = await findOrgById(db, table, id);
  if (!row) throw notFound(KIND[table].label);
  return presentOrg(row);
}

async function assertCodeFree(trx: Kysely<Database>, table: OrgTableName, code: string, exceptId?: string) {
  await lockOrgCodes(trx, table);
  const existing = await findOrgByCode(trx, table, code);
  if (existing && existing.id !== exceptId) {
    throw new AppError(KIND[table].taken, `${KIND[table].label} code ${code} is already used`, {
      details: { fields: [{ path: 'code', message: 'already used' }] },
    });
  }
}

export async function createOrganisation(
  trx: Kysely<Database>,
  table: OrgTableName,
  input: CreateOrgInput,
  ctx: Ctx,
): Promise<Org> {
  requireAdmin(ctx.actor);
  await assertCodeFree(trx, table, input.code);
  const row = await insertOrg(trx, table, input);
  await recordAudit(trx, ctx, {
    action: `${KIND[table].entity}.create`,
    entityType: KIND[table].entity,
    entityId: row.id,
    details: { after: presentOrg(row) },
  });
  return presentOrg(row);
}

export async function updateOrganisation(
  trx: Kysely<Database>,
  table: OrgTableName,
  id: string,
  input: UpdateOrgInput,
  ctx: Ctx,
): Promise<Org> {
  requireAdmin(ctx.actor);
  const before = await findOrgByIdForUpdate(trx, table, id);
  if (!before) throw notFound(KIND[table].label);
  if (input.code !== undefined && input.code !== before.code)
    await assertCodeFree(trx, table, input.code, id);
  const after = await updateOrg(trx, table, id, input);
  await recordAudit(trx, ctx, {
    action: `${KIND[table].entity}.update`,
    entityType: KIND[table].entity,
    entityId: id,
    details: { before: presentOrg(before), after: presentOrg(after) },
  });
  return presentOrg(after);
}
