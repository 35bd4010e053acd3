import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { recordChange } from '../registry/history.ts';
import {
  type RegistryDeps,
  requireRegistryEditor,
  requireRegistryReader,
} from '../registry/registry-deps.ts';
import { changeWebsiteStatus } from '../registry/website.service.ts';
import type { Ctx } from '../shared/context.ts';
import {
  describePlan,
  type Plan,
  type RunKind,
  type RunParams,
  resolveParams,
  STEPS_OF,
  type StepKey,
  titleOf,
  webServerApache,
  websiteForPlan,
} from './plan.ts';
import { loadProvisioningServer } from './server-config.ts';
import { executeStep, type StepContext } from './steps.ts';

// Provisioning runs: a plan shown, confirmed, and executed step by step by a durable job. Each
// step's outcome is recorded as it finishes; a worker holds a lease on the run while it works, so
// a worker killed at any point lets the lease lapse and the run resumes from its first unfinished
// step (every step is idempotent).

export type ProvisioningDeps = {
  config: Config;
  registry: RegistryDeps;
  archivePath: (storageKey: string) => string;
  jobs?: Pick<Jobs, 'send'> | undefined;
  /** This process's name on leases. */
  workerId: string;
  beforeStep?: StepContext['beforeStep'];
};

export type RunView = {
  id: string;
  websiteId: string;
  hostname: string;
  kind: RunKind;
  status: 'queued' | 'running' | 'done' | 'failed';
  plan: Plan;
  steps: {
    seq: number;
    key: StepKey;
    title: { id: string; en: string };
    status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
    attempts: number;
    startedAt: string | null;
    finishedAt: string | null;
    result: Record<string, unknown> | null;
    error: string | null;
  }[];
  undoesId: string | null;
  case: { id: string; ref: string } | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function conflict(message: string): AppError {
  return new AppError('STATUS_TRANSITION', message);
}

/** Which runs a website in a given status may have. */
function assertKindAllowed(kind: RunKind, status: string): void {
  const ok: Record<RunKind, string[]> = {
    install: ['planned', 'active'],
    suspend: ['active'],
    resume: ['suspended'],
    retire: ['planned', 'active', 'suspended'],
    rollback: ['planned', 'active', 'suspended'],
  };
  if (!ok[kind].includes(status)) throw conflict(`A ${status} website cannot be given a ${kind} run`);
}

/** Where the web server keeps its site files, for the plan (the installation's own for a local server). */
async function sitesDirOf(
  db: Kysely<Database>,
  serverId: string,
  config: Pick<ProvisioningDeps['config'], 'provisioning'>,
): Promise<string> {
  const server = await loadProvisioningServer(db, serverId);
  return (server && webServerApache(server, config)?.sitesDir) ?? '';
}

/** The plan for a website: what a run of this kind would do, on which servers. Writes nothing. */
export async function planRun(
  db: Kysely<Database>,
  websiteId: string,
  kind: Exclude<RunKind, 'rollback'>,
  opts: { caseId?: string | undefined },
  ctx: Ctx,
  deps: Pick<ProvisioningDeps, 'config'>,
): Promise<{ plan: Plan; params: RunParams }> {
  requireRegistryReader(ctx.actor);
  const w = await websiteForPlan(db, websiteId);
  assertKindAllowed(kind, w.status);
  const { params, sitesDir, warnings } = await resolveParams(db, w, deps.config, opts);
  const plan = describePlan(kind, params, STEPS_OF[kind], deps.config, sitesDir, warnings);
  return { plan, params };
}

async function insertRun(
  trx: Kysely<Database>,
  v: {
    websiteId: string;
    kind: RunKind;
    params: RunParams;
    plan: Plan;
    steps: StepKey[];
    caseId: string | null;
    undoesId: string | null;
  },
  ctx: Ctx,
  deps: Pick<ProvisioningDeps, 'jobs'>,
): Promise<string> {
  const id = randomUUID();
  try {
    await trx
      .insertInto('provision_runs')
      .values({
        id,
        website_id: v.websiteId,
        kind: v.kind,
        params: JSON.stringify(v.params),
        plan: JSON.stringify(v.plan),
        undoes_id: v.undoesId,
        case_id: v.caseId,
        created_by: ctx.actor.id,
      })
      .execute();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new AppError('CONFLICT', 'Another provisioning run of this website is still in progress');
    }
    throw e;
  }
  await trx
    .insertInto('provision_steps')
    .values(v.steps.map((key, seq) => ({ run_id: id, seq, key })))
    .execute();
  await recordChange(trx, ctx, {
    entity: 'website',
    id: v.websiteId,
    action: `provision.${v.kind}.queued`,
    caseId: v.caseId,
    after: { runId: id, steps: v.steps },
  });
  if (deps.jobs) await deps.jobs.send('provision', { runId: id }, { trx });
  return id;
}

/**
 * Starts a run: the plan is resolved again (what runs is what the registry says now), stored with
 * the run, and a job is queued in the same transaction.
 */
export async function startRun(
  trx: Kysely<Database>,
  websiteId: string,
  input: { kind: Exclude<RunKind, 'rollback'>; caseId?: string | undefined },
  ctx: Ctx,
  deps: ProvisioningDeps,
): Promise<string> {
  requireRegistryEditor(ctx.actor);
  await trx.selectFrom('websites').select('id').where('id', '=', websiteId).forUpdate().executeTakeFirst();
  const { plan, params } = await planRun(trx, websiteId, input.kind, { caseId: input.caseId }, ctx, deps);
  return insertRun(
    trx,
    {
      websiteId,
      kind: input.kind,
      params,
      plan,
      steps: STEPS_OF[input.kind],
      caseId: input.caseId ?? null,
      undoesId: null,
    },
    ctx,
    deps,
  );
}

/** Undoes an install run that failed or finished: what it created is removed, newest first. */
export async function startRollback(
  trx: Kysely<Database>,
  runId: string,
  ctx: Ctx,
  deps: ProvisioningDeps,
): Promise<string> {
  requireRegistryEditor(ctx.actor);
  const run = await trx
    .selectFrom('provision_runs')
    .selectAll()
    .where('id', '=', runId)
    .forUpdate()
    .executeTakeFirst();
  if (!run) throw notFound('Run');
  if (run.kind !== 'install') throw conflict('Only an installation can be rolled back');
  if (run.status !== 'failed' && run.status !== 'done') throw conflict('The run is still in progress');
  const website = await trx
    .selectFrom('websites')
    .select('status')
    .where('id', '=', run.website_id)
    .executeTakeFirst();
  if (website?.status === 'retired')
    throw conflict('The website is retired: there is nothing left to roll back');
  const steps = await trx.selectFrom('provision_steps').selectAll().where('run_id', '=', runId).execute();
  const did = (key: string) =>
    steps.some(
      (s) => s.key === key && (s.status === 'done' || s.status === 'running' || s.status === 'failed'),
    );
  const created = (key: string, field: string, value: string) =>
    steps.some((s) => s.key === key && (s.result as Record<string, unknown> | null)?.[field] === value);
  const undo: StepKey[] = [];
  if (did('vhost') || did('deploy') || did('tls')) undo.push('site_remove');
  // A database or record that existed before this run is left alone.
  if (
    did('database') &&
    (created('database', 'database', 'created') || stepFailedOrRunning(steps, 'database'))
  )
    undo.push('db_drop');
  const dnsStep = steps.find((s) => s.key === 'dns');
  const dnsResult = (dnsStep?.result as { records?: Record<string, string> } | null)?.records ?? {};
  if (did('dns') && (Object.values(dnsResult).includes('created') || dnsStep?.status !== 'done'))
    undo.push('dns_remove');
  if (undo.length === 0) throw conflict('The run changed nothing that needs undoing');
  const params = run.params as unknown as RunParams;
  const plan = describePlan(
    'rollback',
    params,
    undo,
    deps.config,
    await sitesDirOf(trx, params.web.serverId, deps.config),
    [],
  );
  return insertRun(
    trx,
    {
      websiteId: run.website_id,
      kind: 'rollback',
      params,
      plan,
      steps: undo,
      caseId: run.case_id,
      undoesId: run.id,
    },
    ctx,
    deps,
  );
}

function stepFailedOrRunning(steps: { key: string; status: string }[], key: string): boolean {
  return steps.some((s) => s.key === key && (s.status === 'failed' || s.status === 'running'));
}

/** Takes (or renews) this worker's lease on a run; false when another live worker holds it or it is over. */
async function takeLease(db: Kysely<Database>, runId: string, deps: ProvisioningDeps): Promise<boolean> {
  const seconds = deps.config.provisioning.leaseSeconds;
  const r = await sql<{ id: string }>`
    UPDATE provision_runs
    SET lease_owner = ${deps.workerId},
        lease_until = now() + make_interval(secs => ${seconds}),
        status = 'running',
        started_at = coalesce(started_at, now())
    WHERE id = ${runId}
      AND status IN ('queued', 'running')
      AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ${deps.workerId})
    RETURNING id`.execute(db);
  return r.rows.length === 1;
}

async function finishRun(
  db: Kysely<Database>,
  runId: string,
  status: 'done' | 'failed',
  error: string | null,
  deps: ProvisioningDeps,
): Promise<void> {
  await db
    .updateTable('provision_runs')
    .set({ status, error, finished_at: new Date(), lease_owner: null, lease_until: null })
    .where('id', '=', runId)
    .where('lease_owner', '=', deps.workerId)
    .execute();
}

async function actorOf(db: Kysely<Database>, userId: string): Promise<Ctx> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'username', 'roles', 'opd_id'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    actor: { id: u.id, username: u.username, roles: u.roles, opdId: u.opd_id },
    meta: { ip: null, userAgent: 'loket-provisioning' },
  };
}

/** What a finished run means for the website's status in the registry. */
async function applyOutcome(
  db: Kysely<Database>,
  run: { id: string; website_id: string; kind: RunKind; case_id: string | null },
  ctx: Ctx,
  deps: ProvisioningDeps,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const w = await trx
      .selectFrom('websites')
      .select(['status', 'version'])
      .where('id', '=', run.website_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const to: Partial<Record<RunKind, 'active' | 'suspended' | 'retired'>> = {
      install: 'active',
      resume: 'active',
      suspend: 'suspended',
      retire: 'retired',
    };
    const target = to[run.kind];
    const reason = `Provisioning run ${run.id.slice(0, 8)} (${run.kind})`;
    if (target && w.status !== target) {
      await changeWebsiteStatus(
        trx,
        run.website_id,
        { version: w.version, status: target, reason, ...(run.case_id ? { caseId: run.case_id } : {}) },
        ctx,
        deps.registry,
      );
    }
    await recordChange(trx, ctx, {
      entity: 'website',
      id: run.website_id,
      action: `provision.${run.kind}.done`,
      caseId: run.case_id,
      after: { runId: run.id },
    });
  });
}

/**
 * Executes a run's unfinished steps in order under this worker's lease. Safe to call again for the
 * same run at any time: a run that is over, or leased by a live worker, is left alone.
 */
export async function processRun(db: Kysely<Database>, runId: string, deps: ProvisioningDeps): Promise<void> {
  if (!(await takeLease(db, runId, deps))) return;
  const renew = setInterval(
    () => {
      void takeLease(db, runId, deps).catch(() => {});
    },
    Math.max(500, (deps.config.provisioning.leaseSeconds * 1000) / 3),
  );
  try {
    const run = await db
      .selectFrom('provision_runs')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    const ctx = await actorOf(db, run.created_by);
    const params = run.params as unknown as RunParams;
    const s: StepContext = {
      db,
      config: deps.config,
      registry: deps.registry,
      archivePath: deps.archivePath,
      ctx,
      caseId: run.case_id,
      beforeStep: deps.beforeStep,
    };
    const steps = await db
      .selectFrom('provision_steps')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('seq')
      .execute();
    for (const step of steps) {
      if (step.status === 'done' || step.status === 'skipped') continue;
      await db
        .updateTable('provision_steps')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          started_at: new Date(),
          error: null,
        }))
        .where('run_id', '=', runId)
        .where('seq', '=', step.seq)
        .execute();
      try {
        const result = await executeStep(s, step.key as StepKey, params, run.kind);
        await db
          .updateTable('provision_steps')
          .set({
            status: result.skipped ? 'skipped' : 'done',
            finished_at: new Date(),
            result: JSON.stringify(result),
          })
          .where('run_id', '=', runId)
          .where('seq', '=', step.seq)
          .execute();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        await db
          .updateTable('provision_steps')
          .set({ status: 'failed', finished_at: new Date(), error: message.slice(0, 4000) })
          .where('run_id', '=', runId)
          .where('seq', '=', step.seq)
          .execute();
        await finishRun(
          db,
          runId,
          'failed',
          `${titleOf(step.key as StepKey).en}: ${message}`.slice(0, 4000),
          deps,
        );
        await db.transaction().execute((trx) =>
          recordChange(trx, ctx, {
            entity: 'website',
            id: run.website_id,
            action: `provision.${run.kind}.failed`,
            caseId: run.case_id,
            after: { runId, step: step.key, error: message.slice(0, 500) },
          }),
        );
        return;
      }
    }
    await applyOutcome(
      db,
      { id: run.id, website_id: run.website_id, kind: run.kind as RunKind, case_id: run.case_id },
      ctx,
      deps,
    );
    await finishRun(db, runId, 'done', null, deps);
  } finally {
    clearInterval(renew);
  }
}

/** Re-queues runs whose worker went away (lease lapsed) or that never got a worker. */
export async function resumeStaleRuns(
  db: Kysely<Database>,
  deps: Pick<ProvisioningDeps, 'jobs'>,
): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    SELECT id FROM provision_runs
    WHERE status IN ('queued', 'running')
      AND (lease_until < now() OR (lease_until IS NULL AND created_at < now() - interval '30 seconds'))`.execute(
    db,
  );
  for (const r of rows.rows) await deps.jobs?.send('provision', { runId: r.id });
  return rows.rows.map((r) => r.id);
}

/** Runs with their steps, newest first: two queries however many runs. */
async function loadRuns(
  db: Kysely<Database>,
  where: { runId: string } | { websiteId: string },
  limit: number,
): Promise<RunView[]> {
  let q = db
    .selectFrom('provision_runs as r')
    .innerJoin('websites as w', 'w.id', 'r.website_id')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .leftJoin('cases as c', 'c.id', 'r.case_id')
    .selectAll('r')
    .select(['w.hostname', 'u.username', 'c.ref as case_ref']);
  q = 'runId' in where ? q.where('r.id', '=', where.runId) : q.where('r.website_id', '=', where.websiteId);
  const runs = await q.orderBy('r.created_at', 'desc').limit(limit).execute();
  if (runs.length === 0) return [];
  const steps = await db
    .selectFrom('provision_steps')
    .selectAll()
    .where(
      'run_id',
      'in',
      runs.map((r) => r.id),
    )
    .orderBy('run_id')
    .orderBy('seq')
    .execute();
  return runs.map((run) => ({
    id: run.id,
    websiteId: run.website_id,
    hostname: run.hostname ?? '',
    kind: run.kind as RunKind,
    status: run.status as RunView['status'],
    plan: run.plan as unknown as Plan,
    steps: steps
      .filter((s) => s.run_id === run.id)
      .map((s) => ({
        seq: s.seq,
        key: s.key as StepKey,
        title: titleOf(s.key as StepKey),
        status: s.status as RunView['steps'][number]['status'],
        attempts: s.attempts,
        startedAt: iso(s.started_at),
        finishedAt: iso(s.finished_at),
        result: (s.result as Record<string, unknown> | null) ?? null,
        error: s.error,
      })),
    undoesId: run.undoes_id,
    case: run.case_id && run.case_ref ? { id: run.case_id, ref: run.case_ref } : null,
    createdBy: run.username,
    createdAt: run.created_at.toISOString(),
    startedAt: iso(run.started_at),
    finishedAt: iso(run.finished_at),
    error: run.error,
  }));
}

export async function getRun(db: Kysely<Database>, runId: string, ctx: Ctx): Promise<RunView> {
  requireRegistryReader(ctx.actor);
  const [run] = await loadRuns(db, { runId }, 1);
  if (!run) throw notFound('Run');
  return run;
}

export async function listRuns(db: Kysely<Database>, websiteId: string, ctx: Ctx): Promise<RunView[]> {
  requireRegistryReader(ctx.actor);
  return loadRuns(db, { websiteId }, 50);
}
