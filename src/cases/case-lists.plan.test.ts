import { createQueryId, type KyselyPlugin, PostgresQueryCompiler, type RootOperationNode, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertManyCases } from '../../test/helpers/case-bulk.ts';
import { createTestDb } from '../../test/helpers/db.ts';
import { buildOpd, buildUser } from '../../test/helpers/factories.ts';
import type { DbHandle } from '../db/create-db.ts';
import type { Role } from '../db/schema.ts';
import { type CaseListFilter, countCases, listCaseRows } from './case.repository.ts';

// The plans of every list view on PostgreSQL with 100,000 cases (analysed, as autovacuum would):
// each walks an index, none reads the whole table. No timings: only which plan the server picks.
// Needs a PostgreSQL server (npm run test:pg); PGlite's planner is the same code but 100,000 rows
// take minutes to insert there.

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
};

function nodes(p: PlanNode): PlanNode[] {
  return [p, ...(p.Plans ?? []).flatMap(nodes)];
}

let handle: DbHandle;
let opdId: string;
const captured: RootOperationNode[] = [];
const capture: KyselyPlugin = {
  transformQuery: (args) => {
    captured.push(args.node);
    return args.node;
  },
  transformResult: async (args) => args.result,
};

/** The plans of the statements `run` sends. */
async function plansOf(run: (db: DbHandle['db']) => Promise<unknown>): Promise<PlanNode[]> {
  captured.length = 0;
  await run(handle.db.withPlugin(capture));
  const compiler = new PostgresQueryCompiler();
  const out: PlanNode[] = [];
  for (const node of [...captured]) {
    const q = compiler.compileQuery(node, createQueryId());
    const r = await handle.db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({
      ...q,
      sql: `EXPLAIN (FORMAT JSON) ${q.sql}`,
    });
    out.push((r.rows[0] as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan);
  }
  return out;
}

// Nodes that read all their input before giving the first row: a scan below one is not stopped by
// a LIMIT above it.
const BLOCKING = new Set(['Sort', 'Aggregate', 'Hash', 'Materialize', 'SetOp', 'WindowAgg']);

/** Whole-table reads of the case tables that no LIMIT stops. */
function unboundedScans(p: PlanNode, bounded = false): string[] {
  const b = p['Node Type'] === 'Limit' ? true : BLOCKING.has(p['Node Type']) ? false : bounded;
  const here =
    p['Node Type'] === 'Seq Scan' && p['Relation Name']?.startsWith('case') && !b ? [p['Relation Name']] : [];
  return [...here, ...(p.Plans ?? []).flatMap((c) => unboundedScans(c, b))];
}

/**
 * Every read of the case tables either goes through an index or is stopped early by a LIMIT (a
 * word found in every case is answered by walking "Semua" until the page is full); returns the
 * indexes used.
 */
function indexesOf(plans: PlanNode[]): string[] {
  expect(plans.flatMap((p) => unboundedScans(p))).toEqual([]);
  return plans.flatMap(nodes).flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('list plans at 100,000 cases (PostgreSQL)', () => {
  beforeAll(async () => {
    handle = await createTestDb();
    const creator = await buildUser(handle.db, { roles: ['opd'] });
    opdId = creator.opdId as string;
    // Ten OPDs with 10,000 cases each.
    for (let i = 0; i < 10; i++) {
      const opd = i === 0 ? opdId : (await buildOpd(handle.db)).id;
      await insertManyCases(handle.db, { n: 10_000, opdId: opd, createdBy: creator.id, prefix: `PL${i}` });
    }
    await sql`VACUUM ANALYZE cases`.execute(handle.db);
    await sql`VACUUM ANALYZE case_waiting`.execute(handle.db);
  }, 600_000);
  afterAll(() => handle?.close());

  const now = new Date();
  const kabid = { roles: ['kabid'] as Role[], onlyOpdId: null, now };
  const page = { page: 1, pageSize: 20 };
  const list = (f: CaseListFilter) => plansOf((db) => listCaseRows(db, f, page));

  it.each([
    ['Semua', 'cases_updated_idx', { ...kabid, view: 'all' }],
    ['Semua, a deep page', 'cases_updated_idx', { ...kabid, view: 'all' }],
    ['the inbox', 'cases_waiting_due_idx', { ...kabid, view: 'inbox' }],
    ['overdue', 'cases_active_due_idx', { ...kabid, view: 'overdue' }],
    ['a status', 'cases_status_idx', { ...kabid, view: 'all', status: 'active' }],
    ['a step', 'cases_step_idx', { ...kabid, view: 'all', step: 'pengkajian' }],
    ["the OPD's own list", 'cases_opd_idx', { ...kabid, roles: ['opd'], onlyOpdId: 'OPD', view: 'all' }],
    [
      "the OPD's overdue",
      'cases_opd_active_due_idx',
      { ...kabid, roles: ['opd'], onlyOpdId: 'OPD', view: 'overdue' },
    ],
    ['a selective search', 'cases_search_trgm', { ...kabid, view: 'all', q: 'nomor 4242' }],
    ['a reference', 'cases_search_trgm', { ...kabid, view: 'all', q: 'PL3-0004242' }],
  ] as [string, string, CaseListFilter][])('%s walks %s', async (label, index, f) => {
    const filter = f.onlyOpdId === 'OPD' ? { ...f, onlyOpdId: opdId } : f;
    const plans = await plansOf((db) =>
      listCaseRows(db, filter, label.includes('deep') ? { page: 50, pageSize: 20 } : page),
    );
    expect(indexesOf(plans)).toContain(index);
  });

  it('a word in every case walks "Semua" in order and stops, rather than reading every match', async () => {
    indexesOf(await list({ ...kabid, view: 'all', q: 'website' }));
  });

  it('the menu badges read indexes only', async () => {
    indexesOf(await plansOf((db) => countCases(db, kabid)));
    indexesOf(await plansOf((db) => countCases(db, { ...kabid, roles: ['subkoor', 'staf'] })));
  });

  it("a step change rewrites the case's inbox rows through an index on case_id", async () => {
    const r = await handle.db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      sql`EXPLAIN (FORMAT JSON) DELETE FROM case_waiting WHERE case_id = ${'00000000-0000-4000-8000-000000000000'}`.compile(
        handle.db,
      ),
    );
    const plan = (r.rows[0] as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan;
    expect(indexesOf([plan])).toContain('case_waiting_case_idx');
  });
});
