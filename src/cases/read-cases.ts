import type { Kysely } from 'kysely';
import { audienceOf, isDkisp, opdScope } from '../auth/policy.ts';
import type { Database, Role } from '../db/schema.ts';
import { forbidden, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { Page } from '../shared/pagination.ts';
import { ensureSopVersions } from '../sop/sop-versions.ts';
import {
  countCases,
  findCase,
  findCaseDetail,
  findCaseFile,
  listCaseRows,
  listStaff,
} from './case.repository.ts';
import type { CaseDetail, CaseSummary, ListCasesQuery } from './case.schemas.ts';
import { assertCanSee } from './case-access.ts';
import { fileVisibleTo } from './case-audience.ts';
import type { CaseDeps } from './case-deps.ts';
import { presentDetail, presentSummary } from './case-presenter.ts';

function scope(ctx: Ctx): { onlyOpdId: string | null } {
  const own = opdScope(ctx.actor);
  if (own === null && !isDkisp(ctx.actor)) throw forbidden();
  return { onlyOpdId: own };
}

/**
 * Cases the actor may see: its inbox (waiting for one of its roles), overdue ones, or all. The total
 * is counted up to 1000; `totalCapped` says there are more.
 */
export async function listCases(
  db: Kysely<Database>,
  q: ListCasesQuery,
  ctx: Ctx,
  deps: Pick<CaseDeps, 'clock'>,
): Promise<Page<CaseSummary> & { totalCapped: boolean }> {
  const now = deps.clock.now();
  const { page, pageSize, ...f } = q;
  const { rows, total, totalCapped } = await listCaseRows(
    db,
    { ...f, ...scope(ctx), roles: ctx.actor.roles as Role[], now },
    { page, pageSize },
  );
  await ensureSopVersions(db, rows);
  const aud = audienceOf(ctx.actor);
  return { items: rows.map((r) => presentSummary(r, now, aud)), total, totalCapped, page, pageSize };
}

export async function caseCounts(db: Kysely<Database>, ctx: Ctx, deps: Pick<CaseDeps, 'clock'>) {
  return countCases(db, { ...scope(ctx), roles: ctx.actor.roles as Role[], now: deps.clock.now() });
}

export async function getCase(
  db: Kysely<Database>,
  id: string,
  ctx: Ctx,
  deps: Pick<CaseDeps, 'clock'>,
): Promise<CaseDetail> {
  const c = await findCaseDetail(db, id);
  if (!c) throw notFound('Case');
  assertCanSee(ctx.actor, c);
  await ensureSopVersions(db, [c]);
  return presentDetail(c, ctx.actor, deps.clock);
}

/**
 * A case file's record, for a download by someone who may see the case and the file: an OPD only
 * its own letters and attachments (docs/adr/0009-what-the-opd-sees.md); any other is not found.
 */
export async function getCaseFile(db: Kysely<Database>, caseId: string, fileId: string, ctx: Ctx) {
  const c = await findCase(db, caseId);
  if (!c) throw notFound('Case');
  assertCanSee(ctx.actor, c);
  const f = await findCaseFile(db, caseId, fileId);
  if (!f || !fileVisibleTo(audienceOf(ctx.actor), f.purpose)) throw notFound('File');
  return { key: f.storage_key, displayName: f.display_name, mime: f.mime, size: Number(f.size) };
}

/** DKISP staff for pickers; DKISP users only. */
export async function listStaffPeople(db: Kysely<Database>, role: Role | undefined, ctx: Ctx) {
  if (!isDkisp(ctx.actor)) throw forbidden();
  const rows = await listStaff(db, role);
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    fullName: r.full_name,
    roles: r.roles,
    unit:
      r.unit_id && r.unit_code && r.unit_name
        ? { id: r.unit_id, code: r.unit_code, name: r.unit_name }
        : null,
  }));
}
