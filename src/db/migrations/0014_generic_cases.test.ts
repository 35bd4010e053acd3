import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.ts';
import { buildUser } from '../../../test/helpers/factories.ts';
import type { DbHandle } from '../create-db.ts';
import * as m0014 from './0014_generic_cases.ts';

// Migration 0014 moves the website SOP's columns of `cases` into `facts`/`marks` and the KAK table
// into `case_drafts`: rows written in 0013's shape read the same afterwards, and back.

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(() => h.close());

type Old = { ref: string; kind: string; website_id: string | null; website_ref: string | null; kak: number };

describe('migration 0014', () => {
  it('moves kind, website and KAK versions into facts, marks and case_drafts, and back', async () => {
    const db = h.db;
    const u = await buildUser(db, { roles: ['opd'] });
    const opdId = u.opdId as string;
    const w = await sql<{ id: string }>`
      INSERT INTO websites (opd_id, purpose, status) VALUES (${opdId}, 'x', 'planned') RETURNING id`.execute(
      db,
    );
    const websiteId = w.rows[0]?.id as string;

    await m0014.down(db);
    const old: Old[] = [
      // A fresh draft: no website, no wish.
      { ref: 'M14-1', kind: 'new', website_id: null, website_ref: null, kak: 0 },
      // A new website, address wished for but not linked yet.
      { ref: 'M14-2', kind: 'new', website_id: null, website_ref: 'ingin.example-kab.go.id', kak: 0 },
      // An update of a registered website with two KAK versions.
      { ref: 'M14-3', kind: 'update', website_id: websiteId, website_ref: 'lama.example-kab.go.id', kak: 2 },
    ];
    for (const o of old) {
      await sql`
        INSERT INTO cases (ref, sop_key, sop_version, kind, opd_id, created_by, subject, letter_number,
                           letter_date, description, website_id, website_ref, kak_versions, status, step_key,
                           pending_decision, decision)
        VALUES (${o.ref}, 'website', 1, ${o.kind}, ${opdId}, ${u.id}, 's', '1', DATE '2026-12-01', 'd',
                ${o.website_id}, ${o.website_ref}, ${o.kak}, 'active', 'analisis',
                ${o.kak ? 'approve' : null}, ${o.kak ? 'approve' : null})`.execute(db);
    }
    const kakCase = (await sql<{ id: string }>`SELECT id FROM cases WHERE ref = 'M14-3'`.execute(db)).rows[0]
      ?.id as string;
    for (const v of [1, 2]) {
      await sql`
        INSERT INTO kak_versions (case_id, version, content, created_by, created_at)
        VALUES (${kakCase}, ${v}, ${JSON.stringify({ goals: `g${v}` })}::jsonb, ${u.id},
                TIMESTAMPTZ '2026-12-01 02:00:00Z' + ${v} * interval '1 hour')`.execute(db);
    }

    await m0014.up(db);
    const after = await sql<{ ref: string; facts: unknown; marks: unknown }>`
      SELECT ref, facts, marks FROM cases WHERE ref LIKE 'M14-%' ORDER BY ref`.execute(db);
    expect(after.rows).toEqual([
      { ref: 'M14-1', facts: { kind: 'new' }, marks: {} },
      {
        ref: 'M14-2',
        facts: {
          kind: 'new',
          websiteRef: 'ingin.example-kab.go.id',
          requestedHostname: 'ingin.example-kab.go.id',
        },
        marks: {},
      },
      {
        ref: 'M14-3',
        facts: { kind: 'update', websiteId, websiteRef: 'lama.example-kab.go.id' },
        marks: { 'doc:kak': 2 },
      },
    ]);
    const drafts = await sql<{ doc: string; version: number; content: unknown; created_at: Date }>`
      SELECT doc, version, content, created_at FROM case_drafts WHERE case_id = ${kakCase} ORDER BY version`.execute(
      db,
    );
    expect(drafts.rows.map((d) => [d.doc, d.version, d.content, d.created_at.toISOString()])).toEqual([
      ['kak', 1, { goals: 'g1' }, '2026-12-01T03:00:00.000Z'],
      ['kak', 2, { goals: 'g2' }, '2026-12-01T04:00:00.000Z'],
    ]);
    // The website page's query finds the case by its fact, through the expression index's expression.
    const byWebsite = await sql<{ ref: string }>`
      SELECT ref FROM cases WHERE facts ->> 'websiteId' = ${websiteId}`.execute(db);
    expect(byWebsite.rows.map((r) => r.ref)).toEqual(['M14-3']);
    const columns = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'cases'
        AND column_name IN ('kind', 'website_id', 'website_ref', 'kak_versions')`.execute(db);
    expect(columns.rows).toEqual([]);
    // Decisions are any SOP's outcome keys now.
    await sql`UPDATE cases SET pending_decision = 'defer', decision = 'defer' WHERE ref = 'M14-1'`.execute(
      db,
    );
    await sql`UPDATE cases SET pending_decision = NULL, decision = NULL WHERE ref = 'M14-1'`.execute(db);

    await m0014.down(db);
    const back = await sql<Old>`
      SELECT ref, kind, website_id, website_ref, kak_versions AS kak FROM cases WHERE ref LIKE 'M14-%'
      ORDER BY ref`.execute(db);
    expect(back.rows).toEqual(old);
    const kak = await sql<{ version: number }>`
      SELECT version FROM kak_versions WHERE case_id = ${kakCase} ORDER BY version`.execute(db);
    expect(kak.rows.map((k) => k.version)).toEqual([1, 2]);
    await expect(sql`UPDATE cases SET decision = 'defer' WHERE ref = 'M14-1'`.execute(db)).rejects.toThrow(
      /cases_decision_check/,
    );
    await m0014.up(db);
  });
});
