-- Bench data: :cases cases over 50 OPDs, created over four years, with :history step records and
-- :history history events per case — years of history: one case in 20 is open (standing at a step,
-- spread over all 11, about half of them past their due time), the rest are closed (done, or
-- rejected one in 10 of those). Statements are separated by a semicolon at the end of a line.
--
-- The inbox trigger is off during the bulk insert and `case_waiting` is filled in one statement
-- afterwards: row by row, the trigger's DELETE by case_id would make the load itself the thing
-- measured (see the step-change figures instead).
INSERT INTO opds (code, name)
SELECT 'BENCH' || g, 'OPD Bench ' || g FROM generate_series(1, 50) g
ON CONFLICT DO NOTHING;

ALTER TABLE cases DISABLE TRIGGER cases_waiting_sync;

WITH steps(no, key, roles) AS (
  VALUES (1, 'permohonan', '{opd}'::text[]), (2, 'registrasi', '{umum}'), (3, 'disposisi', '{kepala}'),
         (4, 'pengkajian', '{kabid,subkoor}'), (5, 'keputusan', '{kabid}'), (6, 'mulai', '{kabid}'),
         (7, 'analisis', '{kabid,subkoor,staf}'), (8, 'pembuatan', '{kabid,subkoor,staf}'),
         (9, 'instalasi', '{kabid,subkoor,staf}'), (10, 'laporan', '{kabid,subkoor,staf}'),
         (11, 'selesai', '{kabid}')
), opd AS (SELECT array_agg(id ORDER BY code) ids FROM opds WHERE code LIKE 'BENCH%'),
   creator AS (SELECT id FROM users ORDER BY created_at LIMIT 1),
   picks AS (
  SELECT g, CASE WHEN g % 20 = 0 THEN 1 + (g / 20) % 11 WHEN g % 10 = 3 THEN 13 ELSE 12 END AS pick,
         now() - interval '4 years' * (1 - g::float8 / :cases) AS created
  FROM generate_series(1, :cases) g
)
INSERT INTO cases (ref, sop_key, sop_version, facts, opd_id, created_by, subject, letter_number, letter_date,
                   description, status, step_key, roles_waiting, current_due_at, version, created_at, updated_at)
SELECT 'BENCH-' || lpad(p.g::text, 7, '0'), 'website', 1,
       jsonb_build_object('kind', CASE WHEN p.g % 3 = 0 THEN 'update' ELSE 'new' END),
       (SELECT ids[1 + p.g % 50] FROM opd), (SELECT id FROM creator),
       'Permohonan website nomor ' || p.g, '027/' || p.g || '/2026', DATE '2026-01-01' + (p.g % 300),
       'Data bench',
       CASE WHEN p.pick = 12 THEN 'done' WHEN p.pick = 13 THEN 'rejected' WHEN p.pick = 1 THEN 'draft' ELSE 'active' END,
       CASE WHEN p.pick = 13 THEN 'keputusan' ELSE s.key END,
       CASE WHEN p.pick >= 12 THEN '{}'::text[] ELSE s.roles END,
       CASE WHEN p.pick >= 12 THEN NULL ELSE now() - interval '3 days' + (p.g % 8640) * interval '1 minute' END,
       10, p.created,
       CASE WHEN p.pick >= 12 THEN p.created + interval '5 days' ELSE now() - (p.g % 2000) * interval '1 minute' END
FROM picks p JOIN steps s ON s.no = least(p.pick, 11);

ALTER TABLE cases ENABLE TRIGGER cases_waiting_sync;

INSERT INTO case_waiting (role, case_id, opd_id)
SELECT DISTINCT r, c.id, c.opd_id FROM cases c, unnest(c.roles_waiting) r
WHERE c.ref LIKE 'BENCH-%' AND c.roles_waiting <> '{}';

INSERT INTO case_steps (case_id, seq, step_key, started_at, due_at, ended_at, outputs)
SELECT c.id, n, 'pengkajian', c.created_at + n * interval '1 hour', c.created_at + n * interval '1 hour' + interval '25 minutes',
       c.created_at + n * interval '1 hour' + interval '20 minutes', '{"review": {"findings": "ok"}}'
FROM cases c CROSS JOIN generate_series(1, :history) n
WHERE c.ref LIKE 'BENCH-%';

INSERT INTO case_events (case_id, at, actor_id, action, step_key, payload)
SELECT c.id, c.created_at + n * interval '1 hour', c.created_by, 'review', 'pengkajian', '{"findings": "ok"}'
FROM cases c CROSS JOIN generate_series(1, :history) n
WHERE c.ref LIKE 'BENCH-%';

VACUUM ANALYZE;
