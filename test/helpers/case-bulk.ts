import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';

/**
 * Inserts `n` cases of one OPD at once (as years of history would leave them): refs `<prefix>-0000001`…,
 * subjects "Permohonan website nomor <i>", one in 20 open and waiting for the Kabid, half of those
 * past their due time. The inbox trigger fills `case_waiting` row by row, as in production.
 */
export async function insertManyCases(
  db: Db,
  v: { n: number; opdId: string; createdBy: string; prefix: string },
): Promise<void> {
  await sql`
    INSERT INTO cases (ref, sop_key, sop_version, facts, opd_id, created_by, subject, letter_number, letter_date,
                       description, status, step_key, roles_waiting, current_due_at, created_at, updated_at)
    SELECT ${v.prefix} || '-' || lpad(g::text, 7, '0'), 'website', 1, '{"kind": "new"}'::jsonb, ${v.opdId}::uuid, ${v.createdBy}::uuid,
           'Permohonan website nomor ' || g, '027/' || g || '/2026', DATE '2026-01-01',
           'x', CASE WHEN g % 20 = 0 THEN 'active' ELSE 'done' END,
           CASE WHEN g % 20 = 0 THEN 'pengkajian' ELSE 'selesai' END,
           CASE WHEN g % 20 = 0 THEN '{kabid}'::text[] ELSE '{}'::text[] END,
           CASE WHEN g % 20 = 0 THEN now() + (CASE WHEN g % 40 = 0 THEN -1 ELSE 1 END) * interval '1 day' END,
           now() - interval '4 years' * (1 - g::float8 / ${v.n}), now() - interval '4 years' * (1 - g::float8 / ${v.n})
    FROM generate_series(1, ${v.n}::int) g`.execute(db);
}
