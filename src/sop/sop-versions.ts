import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service.ts';
import { requireAdmin } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import {
  addSopVersion,
  allSopVersions,
  currentSopOrNull,
  hasSopVersion,
  setRetiredServices,
  sopVersion,
} from './catalogue.ts';
import { compileDefinition } from './compile.ts';
import {
  type DefinitionProblem,
  type SopDefinition,
  type StandardTime,
  standardTimeSchema,
} from './definition.ts';
import type { SopDef } from './types.ts';
import { validateDefinition } from './validate-definition.ts';

// Published SOP versions (docs/adr/0017-publishing-sops.md). A version never changes once
// published; a change is a new version, stored in `sop_versions` — the whole definition since
// migration 0015, or (rows made before) new standard times over a base version. Running cases keep
// their version, new cases take the current one. Every Loket instance reads them from the database.

export { standardTimeSchema };

export const changeStandardTimesBody = z.strictObject({
  times: z.record(z.string().max(50), standardTimeSchema),
  note: z.string().trim().max(500).optional(),
});

/** A definition with new standard times for some steps (a legacy row, or the standard-times route). */
function definitionWithTimes(def: SopDefinition, times: Record<string, StandardTime>): SopDefinition {
  return {
    ...def,
    steps: def.steps.map((s) => (times[s.key] ? { ...s, standardTime: times[s.key] as StandardTime } : s)),
  };
}

/** What this process last saw of the tables: rows are only ever added, so count + newest is a stamp. */
let seenStamp: string | null = null;

/**
 * Brings this process's SOP catalogue up to date with the versions the administrator published and
 * the services retired (they live in the database, so every instance sees them). A version never
 * changes once published, so the rows are read only when the stamp (how many versions, the newest's
 * time, the services' revisions) differs from the one last read: one tiny aggregate when nothing
 * changed, whichever instance published.
 */
export async function syncSopVersions(db: Kysely<Database>): Promise<void> {
  const r = await db
    .selectFrom('sop_versions')
    .select(
      sql<string>`count(*) || '/' || coalesce(max(created_at)::text, '') || '/' || (select coalesce(sum(revision), 0) || '' from sop_services)`.as(
        'stamp',
      ),
    )
    .executeTakeFirstOrThrow();
  if (r.stamp === seenStamp) return;
  await loadSopVersions(db);
  seenStamp = r.stamp;
}

async function loadSopVersions(db: Kysely<Database>): Promise<void> {
  const rows = await db
    .selectFrom('sop_versions')
    .select(['key', 'version', 'base_version', 'standard_times', 'definition'])
    .orderBy('key')
    .orderBy('version')
    .execute();
  for (const r of rows) {
    if (hasSopVersion(r.key, r.version)) continue;
    try {
      const definition =
        r.definition !== null
          ? (r.definition as SopDefinition)
          : definitionWithTimes(
              sopVersion(r.key, r.base_version).definition,
              r.standard_times as Record<string, StandardTime>,
            );
      addSopVersion(compileDefinition({ ...definition, key: r.key }, r.version));
    } catch (e) {
      // A stored version this code cannot run (it was published by a newer Loket, or names a block
      // since removed): the others still load; cases on it answer that their SOP is unknown.
      console.error(`SOP ${r.key} v${r.version} cannot be loaded: ${(e as Error).message}`);
    }
  }
  const services = await db.selectFrom('sop_services').select(['key', 'retired']).execute();
  setRetiredServices(services.filter((s) => s.retired).map((s) => s.key));
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

function invalid(problems: DefinitionProblem[]): AppError {
  return new AppError('DEFINITION_INVALID', `The definition has ${problems.length} problem(s)`, {
    details: { in: 'body', fields: problems },
  });
}

/**
 * Every problem a definition has as a version of the service `key` would have: its own (the
 * validator's), the key in the address, and a case-number prefix another service uses (their cases'
 * numbers would collide).
 */
export async function definitionProblems(
  db: Kysely<Database>,
  key: string,
  input: unknown,
): Promise<{ def: SopDefinition | null; problems: DefinitionProblem[] }> {
  await syncSopVersions(db);
  const v = validateDefinition(input);
  const problems = v.ok ? [] : [...v.problems];
  const body = (input && typeof input === 'object' ? input : {}) as { key?: unknown; refPrefix?: unknown };
  if (typeof body.key === 'string' && body.key !== key) {
    problems.push({ path: 'key', message: `must be the service's key in the address ("${key}")` });
  }
  if (typeof body.refPrefix === 'string') {
    const other = allSopVersions().find((s) => s.key !== key && s.refPrefix === body.refPrefix);
    if (other) {
      problems.push({
        path: 'refPrefix',
        message: `"${body.refPrefix}" numbers the cases of the service "${other.key}"`,
      });
    }
  }
  return { def: v.ok && problems.length === 0 ? v.def : null, problems };
}

type Summary = {
  stepsAdded: string[];
  stepsRemoved: string[];
  stepsChanged: string[];
  /** Standard times changed: `{ step: { before, after } }`. */
  changes: Record<string, { before: StandardTime | undefined; after: StandardTime }>;
  /** Other top-level parts changed (title, lanes, side boxes, …). */
  changed: string[];
};

/** What a new version changes, in short (for the audit log). */
export function summarize(before: SopDefinition | null, after: SopDefinition): Summary {
  const old = new Map((before?.steps ?? []).map((s) => [s.key, s]));
  const now = new Map(after.steps.map((s) => [s.key, s]));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const changes: Summary['changes'] = {};
  const stepsChanged: string[] = [];
  for (const s of after.steps) {
    const o = old.get(s.key);
    if (!o) continue;
    if (!same(o.standardTime, s.standardTime))
      changes[s.key] = { before: o.standardTime, after: s.standardTime };
    if (!same({ ...o, standardTime: null }, { ...s, standardTime: null })) stepsChanged.push(s.key);
  }
  const changed = before
    ? (Object.keys(after) as (keyof SopDefinition)[]).filter(
        (k) => k !== 'steps' && k !== 'version' && !same(before[k], after[k]),
      )
    : [];
  return {
    stepsAdded: after.steps.filter((s) => !old.has(s.key)).map((s) => s.key),
    stepsRemoved: (before?.steps ?? []).filter((s) => !now.has(s.key)).map((s) => s.key),
    stepsChanged,
    changes,
    changed,
  };
}

/**
 * Publishes a definition (administrators): version n+1 of the service `key`, or version 1 of a new
 * service. Refused with every problem named (422 DEFINITION_INVALID) and nothing stored; when the
 * definition names the version it was read from and that is no longer current, 409 VERSION_CONFLICT.
 */
export async function publishDefinition(
  trx: Kysely<Database>,
  key: string,
  input: unknown,
  ctx: Ctx,
  opts: { note?: string | null; audit?: 'sop.publish' | 'sop.standard_times' } = {},
): Promise<SopDef> {
  requireAdmin(ctx.actor);
  const { def, problems } = await definitionProblems(trx, key, input);
  if (!def) throw invalid(problems);
  const current = currentSopOrNull(key);
  const currentVersion = current?.version ?? 0;
  if (def.version !== undefined && def.version !== currentVersion) {
    throw new AppError(
      'VERSION_CONFLICT',
      current
        ? `The definition was read from version ${def.version}; version ${currentVersion} is current`
        : `There is no service "${key}" yet: publish it without a version`,
      { details: { current: currentVersion } },
    );
  }
  const version = currentVersion + 1;
  const { version: _read, ...stored } = def;
  const compiled = compileDefinition(stored, version);
  const inserted = await trx
    .insertInto('sop_versions')
    .values({
      key,
      version,
      base_version: currentVersion,
      standard_times: JSON.stringify(Object.fromEntries(stored.steps.map((s) => [s.key, s.standardTime]))),
      definition: JSON.stringify(stored),
      note: opts.note ?? null,
      created_by: ctx.actor.id,
    })
    .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
    .returning('version')
    .executeTakeFirst();
  if (!inserted) {
    throw new AppError('VERSION_CONFLICT', `Version ${version} of "${key}" was published meanwhile`, {
      details: { current: version },
    });
  }
  await recordAudit(trx, ctx, {
    action: opts.audit ?? 'sop.publish',
    entityType: 'sop',
    entityId: key,
    details: {
      version,
      previousVersion: currentVersion,
      ...summarize(current?.definition ?? null, stored),
      note: opts.note ?? null,
    },
  });
  return compiled;
}

/**
 * The administrator changes standard times: the current definition published again with them — a
 * new version, taken by new cases (running cases keep theirs) and printed on the SOP sheet.
 */
export async function changeStandardTimes(
  trx: Kysely<Database>,
  key: string,
  input: z.infer<typeof changeStandardTimesBody>,
  ctx: Ctx,
): Promise<SopDef> {
  requireAdmin(ctx.actor);
  await syncSopVersions(trx);
  const base = currentSopOrNull(key);
  if (!base) throw notFound('Service');
  const unknown = Object.keys(input.times).filter((k) => !base.steps.some((s) => s.key === k));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Unknown steps', {
      details: { fields: unknown.map((k) => ({ path: `times.${k}`, message: 'no such step' })) },
    });
  }
  return publishDefinition(
    trx,
    key,
    { ...definitionWithTimes(base.definition, input.times), version: base.version },
    ctx,
    { note: input.note ?? null, audit: 'sop.standard_times' },
  );
}

/** Retires a service (no new requests; running cases go on) or brings it back. */
export async function setServiceRetired(
  trx: Kysely<Database>,
  key: string,
  retired: boolean,
  ctx: Ctx,
): Promise<{ key: string; retired: boolean }> {
  requireAdmin(ctx.actor);
  await syncSopVersions(trx);
  if (!currentSopOrNull(key)) throw notFound('Service');
  const at = retired ? new Date() : null;
  const by = retired ? ctx.actor.id : null;
  const before = await trx
    .selectFrom('sop_services')
    .select('retired')
    .where('key', '=', key)
    .forUpdate()
    .executeTakeFirst();
  if ((before?.retired ?? false) === retired) return { key, retired };
  await trx
    .insertInto('sop_services')
    .values({ key, retired, retired_at: at, retired_by: by })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        retired,
        retired_at: at,
        retired_by: by,
        revision: sql`sop_services.revision + 1`,
        updated_at: new Date(),
      }),
    )
    .execute();
  await recordAudit(trx, ctx, {
    action: retired ? 'sop.retire' : 'sop.reactivate',
    entityType: 'sop',
    entityId: key,
  });
  return { key, retired };
}
