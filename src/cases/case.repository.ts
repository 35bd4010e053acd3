import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Database, Role } from '../db/schema.ts';
import { likePattern, offsetOf, type PageInput } from '../shared/pagination.ts';
import { LIST_DEPTH } from './case.schemas.ts';
import type { CaseFileTable, CaseTable } from './case.tables.ts';

export type CaseRow = Selectable<CaseTable> & { opd_code: string; opd_name: string };

function selectCase(db: Kysely<Database>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('opds as o', 'o.id', 'c.opd_id')
    .selectAll('c')
    .select(['o.code as opd_code', 'o.name as opd_name']);
}

export function findCase(db: Kysely<Database>, id: string): Promise<CaseRow | undefined> {
  return selectCase(db).where('c.id', '=', id).executeTakeFirst();
}

/** The case, locked until the transaction ends: actions on one case run one at a time. */
export function findCaseForUpdate(db: Kysely<Database>, id: string): Promise<CaseRow | undefined> {
  return selectCase(db).where('c.id', '=', id).forUpdate('c').executeTakeFirst();
}

export async function insertCase(db: Kysely<Database>, v: Insertable<CaseTable>): Promise<string> {
  const r = await db.insertInto('cases').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/**
 * Adds to the case's facts (key by key; a key given as null is kept as null). Handlers return
 * `facts` (HandlerResult) and the action merges them here, e.g. the website the start of work links.
 */
export async function mergeCaseFacts(
  db: Kysely<Database>,
  caseId: string,
  facts: Record<string, unknown>,
): Promise<void> {
  if (Object.keys(facts).length === 0) return;
  await db
    .updateTable('cases')
    .set({ facts: sql`facts || ${JSON.stringify(facts)}::jsonb` })
    .where('id', '=', caseId)
    .execute();
}

export async function updateCase(db: Kysely<Database>, id: string, v: Updateable<CaseTable>): Promise<void> {
  await db
    .updateTable('cases')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export type CaseListFilter = {
  view: 'inbox' | 'all' | 'overdue';
  roles: readonly Role[];
  onlyOpdId: string | null;
  status?: string | undefined;
  step?: string | undefined;
  opdId?: string | undefined;
  q?: string | undefined;
  now: Date;
};

/**
 * Lists count their matches up to this many and then say "more than 1000": a count stops after
 * 1,001 index entries however many years of cases there are, and pages go no deeper than this.
 */
export const CASE_COUNT_CAP = LIST_DEPTH;

/** What a text search reads; the very expression of the trigram index `cases_search_trgm` (0010). */
const CASE_SEARCH = sql<string>`lower(c.ref || E'\\x1f' || c.subject || E'\\x1f' || c.letter_number || E'\\x1f' || coalesce(c.agenda_number, ''))`;

// biome-ignore lint/suspicious/noExplicitAny: one filter for the list and its count
function applyFilter(q: any, f: CaseListFilter): any {
  let r = q;
  if (f.onlyOpdId) r = r.where('c.opd_id', '=', f.onlyOpdId);
  if (f.opdId) r = r.where('c.opd_id', '=', f.opdId);
  if (f.status) r = r.where('c.status', '=', f.status);
  if (f.step) r = r.where('c.step_key', '=', f.step);
  if (f.view === 'inbox') {
    // The first condition is the inbox index's own predicate, so the planner uses it.
    r = r
      .where(sql<boolean>`c.roles_waiting <> '{}'`)
      .where(sql<boolean>`c.roles_waiting && ${sql.val(f.roles)}::text[]`);
  }
  if (f.view === 'overdue') {
    r = r.where('c.status', '=', 'active').where('c.current_due_at', '<', f.now);
  }
  // LIKE wildcards in the user's text are escaped; the trigram index answers it.
  if (f.q) r = r.where(CASE_SEARCH, 'like', likePattern(f.q));
  return r;
}

/** How many rows a query yields, counting no further than the cap. */
async function countUpToCap(
  db: Kysely<Database>,
  // biome-ignore lint/suspicious/noExplicitAny: any select query
  q: any,
): Promise<{ total: number; totalCapped: boolean }> {
  const r = await db
    .selectFrom(q.limit(CASE_COUNT_CAP + 1).as('m'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(r.n);
  return n > CASE_COUNT_CAP ? { total: CASE_COUNT_CAP, totalCapped: true } : { total: n, totalCapped: false };
}

/**
 * One page of a list view, newest change first ("Semua") or in due order (inbox, overdue), each an
 * index walk in that order that stops after the page; the total is counted up to CASE_COUNT_CAP.
 */
export async function listCaseRows(
  db: Kysely<Database>,
  f: CaseListFilter,
  page: PageInput,
): Promise<{ rows: CaseRow[]; total: number; totalCapped: boolean }> {
  let list = applyFilter(selectCase(db), f) as ReturnType<typeof selectCase>;
  list =
    f.view === 'all'
      ? list.orderBy('c.updated_at', 'desc').orderBy('c.id')
      : list.orderBy(sql`c.current_due_at ASC NULLS LAST`).orderBy('c.created_at').orderBy('c.id');
  const [rows, count] = await Promise.all([
    list.limit(page.pageSize).offset(offsetOf(page)).execute(),
    countFiltered(db, f),
  ]);
  return { rows, ...count };
}

/**
 * How many cases match, up to the cap. A plain inbox of one role is counted from `case_waiting`
 * alone (an index-only walk of that role's rows); everything else walks the list's own index.
 */
function countFiltered(db: Kysely<Database>, f: CaseListFilter) {
  const [role, ...more] = f.roles;
  if (f.view === 'inbox' && role && more.length === 0 && !f.status && !f.step && !f.q) {
    let q = db.selectFrom('case_waiting as w').select('w.case_id').where('w.role', '=', role);
    if (f.onlyOpdId) q = q.where('w.opd_id', '=', f.onlyOpdId);
    if (f.opdId) q = q.where('w.opd_id', '=', f.opdId);
    return countUpToCap(db, q);
  }
  return countUpToCap(db, applyFilter(db.selectFrom('cases as c').select('c.id'), f));
}

/** The menu's badges: cases waiting for the actor, and how many of them are overdue (each up to the cap). */
export async function countCases(
  db: Kysely<Database>,
  f: Omit<CaseListFilter, 'view'>,
): Promise<{ inbox: number; inboxCapped: boolean; overdue: number; overdueCapped: boolean }> {
  const overdue = applyFilter(db.selectFrom('cases as c').select('c.id'), { ...f, view: 'inbox' })
    .where('c.status', '=', 'active')
    .where('c.current_due_at', '<', f.now);
  const [inbox, o] = await Promise.all([
    countFiltered(db, { ...f, view: 'inbox' }),
    countUpToCap(db, overdue),
  ]);
  return {
    inbox: inbox.total,
    inboxCapped: inbox.totalCapped,
    overdue: o.total,
    overdueCapped: o.totalCapped,
  };
}

// ---- steps and history -------------------------------------------------------------------

export async function insertStep(
  db: Kysely<Database>,
  v: {
    caseId: string;
    stepKey: string;
    startedAt: Date;
    dueAt: Date;
    standardMinutes: number | null;
    standardDays: number | null;
  },
): Promise<string> {
  const r = await db
    .insertInto('case_steps')
    .values({
      case_id: v.caseId,
      seq: sql<number>`(SELECT coalesce(max(seq), 0) + 1 FROM case_steps WHERE case_id = ${v.caseId})`,
      step_key: v.stepKey,
      started_at: v.startedAt,
      due_at: v.dueAt,
      standard_minutes: v.standardMinutes,
      standard_days: v.standardDays,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function endStep(
  db: Kysely<Database>,
  id: string,
  v: { endedAt: Date; actorId: string; workingSeconds: number; outputs: Record<string, unknown> },
): Promise<void> {
  await db
    .updateTable('case_steps')
    .set({
      ended_at: v.endedAt,
      actor_id: v.actorId,
      working_seconds: v.workingSeconds,
      outputs: JSON.stringify(v.outputs),
    })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}

/** Records who decided in a step and when (the decision step: the Kabid, before the letter). */
export async function markStepDecided(db: Kysely<Database>, id: string, v: { by: string; at: Date }) {
  await db
    .updateTable('case_steps')
    .set({ decided_by: v.by, decided_at: v.at })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}

/** Adds to the outputs of the running step (e.g. a disposition made during the review). */
export async function mergeStepOutputs(db: Kysely<Database>, id: string, outputs: Record<string, unknown>) {
  await db
    .updateTable('case_steps')
    .set({ outputs: sql`outputs || ${JSON.stringify(outputs)}::jsonb` })
    .where('id', '=', id)
    .execute();
}

export async function insertEvent(
  db: Kysely<Database>,
  v: { caseId: string; actorId: string; action: string; stepKey: string; payload: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('case_events')
    .values({
      case_id: v.caseId,
      actor_id: v.actorId,
      action: v.action,
      step_key: v.stepKey,
      payload: JSON.stringify(v.payload),
    })
    .execute();
}

export async function insertDisposition(
  db: Kysely<Database>,
  v: {
    caseId: string;
    fromUserId: string;
    toUnitId?: string;
    toUserId?: string;
    instruction: string;
    note?: string | undefined;
    dueDate?: string | undefined;
  },
): Promise<void> {
  await db
    .insertInto('dispositions')
    .values({
      case_id: v.caseId,
      from_user_id: v.fromUserId,
      to_unit_id: v.toUnitId ?? null,
      to_user_id: v.toUserId ?? null,
      instruction: v.instruction,
      note: v.note ?? null,
      due_date: v.dueDate ?? null,
    })
    .execute();
}

export async function insertCaseFile(db: Kysely<Database>, v: Insertable<CaseFileTable>): Promise<void> {
  await db.insertInto('case_files').values(v).execute();
}

export async function supersedeLetters(db: Kysely<Database>, caseId: string): Promise<void> {
  await db
    .updateTable('case_files')
    .set({ superseded_at: new Date() })
    .where('case_id', '=', caseId)
    .where('purpose', '=', 'letter')
    .where('superseded_at', 'is', null)
    .execute();
}

export async function hasLetter(db: Kysely<Database>, caseId: string): Promise<boolean> {
  const r = await db
    .selectFrom('case_files')
    .select('id')
    .where('case_id', '=', caseId)
    .where('purpose', '=', 'letter')
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  return r !== undefined;
}

/** A new version of one of the case's versioned documents (doc 'kak': the website SOP's KAK). */
export async function insertDraft(
  db: Kysely<Database>,
  v: { caseId: string; doc: string; version: number; content: Record<string, unknown>; createdBy: string },
): Promise<void> {
  await db
    .insertInto('case_drafts')
    .values({
      case_id: v.caseId,
      doc: v.doc,
      version: v.version,
      content: JSON.stringify(v.content),
      created_by: v.createdBy,
    })
    .execute();
}

export async function replaceTeam(db: Kysely<Database>, caseId: string, userIds: string[]): Promise<void> {
  await db.deleteFrom('case_team').where('case_id', '=', caseId).execute();
  if (userIds.length) {
    await db
      .insertInto('case_team')
      .values(userIds.map((user_id) => ({ case_id: caseId, user_id })))
      .execute();
  }
}

/** Active users among `ids`, with their roles (to check disposition targets and teams). */
export function findActiveUsers(db: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'roles', 'full_name'])
    .where('id', 'in', ids)
    .where('active', '=', true)
    .execute();
}

// ---- what the case page shows ------------------------------------------------------------

/** A person as the case page needs them; roles and OPD let an OPD's view name them by position. */
const person = [
  'u.id as p_id',
  'u.username as p_username',
  'u.full_name as p_name',
  'u.roles as p_roles',
  'u.opd_id as p_opd_id',
] as const;

export function findCaseFile(db: Kysely<Database>, caseId: string, fileId: string) {
  return db
    .selectFrom('case_files')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

/** DKISP staff for pickers (disposition targets, teams). */
export function listStaff(db: Kysely<Database>, role: Role | undefined) {
  let q = db
    .selectFrom('users as u')
    .leftJoin('units as n', 'n.id', 'u.unit_id')
    .select([
      'u.id',
      'u.username',
      'u.full_name',
      'u.roles',
      'n.id as unit_id',
      'n.code as unit_code',
      'n.name as unit_name',
    ])
    .where('u.active', '=', true)
    .where('u.opd_id', 'is', null);
  if (role) q = q.where(sql<boolean>`${role} = ANY(u.roles)`);
  return q.orderBy('u.full_name').limit(500).execute();
}

/**
 * A case with everything its page shows — steps, history, dispositions, files, drafts, team,
 * who decided — in one statement (JSON aggregates), so a case page is one round trip. Nested
 * timestamps come back as ISO strings.
 */
export function findCaseDetail(db: Kysely<Database>, id: string) {
  return selectCase(db)
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('case_steps as s')
          .leftJoin('users as u', 'u.id', 's.actor_id')
          .leftJoin('users as du', 'du.id', 's.decided_by')
          .selectAll('s')
          .select(person)
          .select([
            'du.id as d_id',
            'du.username as d_username',
            'du.full_name as d_name',
            'du.roles as d_roles',
            'du.opd_id as d_opd_id',
          ])
          .whereRef('s.case_id', '=', 'c.id')
          .orderBy('s.seq'),
      ).as('steps'),
      jsonArrayFrom(
        eb
          .selectFrom('case_events as e')
          .leftJoin('users as u', 'u.id', 'e.actor_id')
          .selectAll('e')
          .select(person)
          .whereRef('e.case_id', '=', 'c.id')
          .orderBy('e.id'),
      ).as('events'),
      jsonArrayFrom(
        eb
          .selectFrom('dispositions as d')
          .innerJoin('users as u', 'u.id', 'd.from_user_id')
          .leftJoin('units as n', 'n.id', 'd.to_unit_id')
          .leftJoin('users as t', 't.id', 'd.to_user_id')
          .selectAll('d')
          .select(person)
          .select([
            'n.code as unit_code',
            'n.name as unit_name',
            't.username as to_username',
            't.full_name as to_name',
          ])
          .whereRef('d.case_id', '=', 'c.id')
          .orderBy('d.created_at')
          .orderBy('d.id'),
      ).as('dispositions'),
      jsonArrayFrom(
        eb
          .selectFrom('case_files as f')
          .innerJoin('users as u', 'u.id', 'f.uploaded_by')
          .selectAll('f')
          .select(person)
          .whereRef('f.case_id', '=', 'c.id')
          .where('f.superseded_at', 'is', null)
          .orderBy('f.uploaded_at'),
      ).as('files'),
      jsonArrayFrom(
        eb
          .selectFrom('case_drafts as k')
          .innerJoin('users as u', 'u.id', 'k.created_by')
          .selectAll('k')
          .select(person)
          .whereRef('k.case_id', '=', 'c.id')
          .orderBy('k.doc')
          .orderBy('k.version'),
      ).as('drafts'),
      jsonArrayFrom(
        eb
          .selectFrom('case_team as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select(person)
          .whereRef('m.case_id', '=', 'c.id')
          .orderBy('u.full_name'),
      ).as('team'),
      jsonObjectFrom(eb.selectFrom('users as u').select(person).whereRef('u.id', '=', 'c.decided_by')).as(
        'decider',
      ),
      // The case's website, named by its facts (ids there come from the registry, so the cast holds).
      jsonObjectFrom(
        eb
          .selectFrom('websites as w')
          .select(['w.id', 'w.hostname', 'w.status'])
          .where(sql<boolean>`w.id = (c.facts ->> 'websiteId')::uuid`),
      ).as('website'),
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export type CaseDetailRow = NonNullable<Awaited<ReturnType<typeof findCaseDetail>>>;
