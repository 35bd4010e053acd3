import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service.ts';
import { requireAdmin } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { addSopVersion, currentSop, hasSopVersion, sopVersion } from './catalogue.ts';
import type { SopDef, StandardTime } from './types.ts';

export const standardTimeSchema = z.union([
  z.strictObject({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  z.strictObject({ workingDays: z.number().int().min(1).max(90) }),
]);

export const changeStandardTimesBody = z.strictObject({
  times: z.record(z.string().max(50), standardTimeSchema),
  note: z.string().trim().max(500).optional(),
});

function withTimes(base: SopDef, version: number, times: Record<string, StandardTime>): SopDef {
  return {
    ...base,
    version,
    steps: base.steps.map((s) => (times[s.key] ? { ...s, standardTime: times[s.key] as StandardTime } : s)),
  };
}

/** What this process last saw of `sop_versions`: rows are only ever added, so count + newest is a stamp. */
let seenStamp: string | null = null;

/**
 * Brings this process's SOP catalogue up to date with the versions the administrator made (they
 * live in the database, so every instance sees them). A version never changes once published, so
 * the rows are read only when the table's stamp (how many rows, the newest's time) differs from the
 * one last read: one tiny aggregate when nothing changed, whichever instance published.
 */
export async function syncSopVersions(db: Kysely<Database>): Promise<void> {
  const r = await db
    .selectFrom('sop_versions')
    .select(sql<string>`count(*) || '/' || coalesce(max(created_at)::text, '')`.as('stamp'))
    .executeTakeFirstOrThrow();
  if (r.stamp === seenStamp) return;
  await loadSopVersions(db);
  seenStamp = r.stamp;
}

async function loadSopVersions(db: Kysely<Database>): Promise<void> {
  const rows = await db
    .selectFrom('sop_versions')
    .select(['key', 'version', 'base_version', 'standard_times'])
    .orderBy('key')
    .orderBy('version')
    .execute();
  for (const r of rows) {
    if (hasSopVersion(r.key, r.version)) continue;
    addSopVersion(
      withTimes(
        sopVersion(r.key, r.base_version),
        r.version,
        r.standard_times as Record<string, StandardTime>,
      ),
    );
  }
}

/**
 * Makes sure the versions these cases run on are known (reading cases needs no current version):
 * no query at all when they are, as they nearly always are.
 */
export async function ensureSopVersions(
  db: Kysely<Database>,
  cases: readonly { sop_key: string; sop_version: number }[],
): Promise<void> {
  if (cases.every((c) => hasSopVersion(c.sop_key, c.sop_version))) return;
  await loadSopVersions(db);
}

/**
 * The administrator changes standard times: a new version of the SOP, taken by new cases (running
 * cases keep theirs) and printed on the SOP sheet from then on.
 */
export async function changeStandardTimes(
  trx: Kysely<Database>,
  key: string,
  input: z.infer<typeof changeStandardTimesBody>,
  ctx: Ctx,
): Promise<SopDef> {
  requireAdmin(ctx.actor);
  await syncSopVersions(trx);
  const base = currentSop(key);
  const unknown = Object.keys(input.times).filter((k) => !base.steps.some((s) => s.key === k));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Unknown steps', {
      details: { fields: unknown.map((k) => ({ path: `times.${k}`, message: 'no such step' })) },
    });
  }
  const version = base.version + 1;
  await trx
    .insertInto('sop_versions')
    .values({
      key,
      version,
      base_version: base.version,
      standard_times: JSON.stringify(input.times),
      note: input.note ?? null,
      created_by: ctx.actor.id,
    })
    .execute();
  await recordAudit(trx, ctx, {
    action: 'sop.standard_times',
    entityType: 'sop',
    entityId: key,
    details: {
      version,
      changes: Object.fromEntries(
        Object.entries(input.times).map(([k, v]) => [
          k,
          { before: base.steps.find((s) => s.key === k)?.standardTime, after: v },
        ]),
      ),
      note: input.note ?? null,
    },
  });
  return withTimes(base, version, input.times);
}
