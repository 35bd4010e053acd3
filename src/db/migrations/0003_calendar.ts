import { type Kysely, sql } from 'kysely';

// Frozen in time: the working-time calendar's holidays, shipped filled for 2025–2027.
//
// Sources: SKB 3 Menteri (Menag, Menaker, MenPAN-RB) No. 1017/2024, 2/2024, 2/2024 for 2025, with
// its change No. 933/2025, 1/2025, 3/2025 (cuti bersama 18 August 2025); the SKB signed on
// 19 September 2025 for 2026 (17 national holidays, 8 cuti bersama). The 2027 SKB was not published
// when this was written: its lunar-calendar dates and every 2027 cuti bersama are estimates, marked
// "(perkiraan)" in the name; fixed-date holidays and the Easter-based ones are certain. Admins
// correct the list in the app (/api/holidays) when a new or changed SKB is signed.

type Row = [date: string, kind: 'national' | 'cuti_bersama', name: string];

const N = 'national';
const C = 'cuti_bersama';
const EST = ' (perkiraan)';

const HOLIDAYS: Row[] = [
  // 2025
  ['2025-01-01', N, 'Tahun Baru 2025 Masehi'],
  ['2025-01-27', N, 'Isra Mikraj Nabi Muhammad SAW'],
  ['2025-01-28', C, 'Cuti bersama Tahun Baru Imlek 2576 Kongzili'],
  ['2025-01-29', N, 'Tahun Baru Imlek 2576 Kongzili'],
  ['2025-03-28', C, 'Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1947)'],
  ['2025-03-29', N, 'Hari Suci Nyepi (Tahun Baru Saka 1947)'],
  ['2025-03-31', N, 'Idul Fitri 1446 Hijriah'],
  ['2025-04-01', N, 'Idul Fitri 1446 Hijriah'],
  ['2025-04-02', C, 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-03', C, 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-04', C, 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-07', C, 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-18', N, 'Wafat Yesus Kristus'],
  ['2025-04-20', N, 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2025-05-01', N, 'Hari Buruh Internasional'],
  ['2025-05-12', N, 'Hari Raya Waisak 2569 BE'],
  ['2025-05-13', C, 'Cuti bersama Hari Raya Waisak 2569 BE'],
  ['2025-05-29', N, 'Kenaikan Yesus Kristus'],
  ['2025-05-30', C, 'Cuti bersama Kenaikan Yesus Kristus'],
  ['2025-06-01', N, 'Hari Lahir Pancasila'],
  ['2025-06-06', N, 'Iduladha 1446 Hijriah'],
  ['2025-06-09', C, 'Cuti bersama Iduladha 1446 Hijriah'],
  ['2025-06-27', N, '1 Muharam Tahun Baru Islam 1447 Hijriah'],
  ['2025-08-17', N, 'Proklamasi Kemerdekaan'],
  ['2025-08-18', C, 'Cuti bersama HUT ke-80 Kemerdekaan Republik Indonesia'],
  ['2025-09-05', N, 'Maulid Nabi Muhammad SAW'],
  ['2025-12-25', N, 'Kelahiran Yesus Kristus'],
  ['2025-12-26', C, 'Cuti bersama Kelahiran Yesus Kristus'],

  // 2026
  ['2026-01-01', N, 'Tahun Baru 2026 Masehi'],
  ['2026-01-16', N, 'Isra Mikraj Nabi Muhammad SAW'],
  ['2026-02-16', C, 'Cuti bersama Tahun Baru Imlek 2577 Kongzili'],
  ['2026-02-17', N, 'Tahun Baru Imlek 2577 Kongzili'],
  ['2026-03-18', C, 'Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1948)'],
  ['2026-03-19', N, 'Hari Suci Nyepi (Tahun Baru Saka 1948)'],
  ['2026-03-20', C, 'Cuti bersama Idul Fitri 1447 Hijriah'],
  ['2026-03-21', N, 'Idul Fitri 1447 Hijriah'],
  ['2026-03-22', N, 'Idul Fitri 1447 Hijriah'],
  ['2026-03-23', C, 'Cuti bersama Idul Fitri 1447 Hijriah'],
  ['2026-03-24', C, 'Cuti bersama Idul Fitri 1447 Hijriah'],
  ['2026-04-03', N, 'Wafat Yesus Kristus'],
  ['2026-04-05', N, 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2026-05-01', N, 'Hari Buruh Internasional'],
  ['2026-05-14', N, 'Kenaikan Yesus Kristus'],
  ['2026-05-15', C, 'Cuti bersama Kenaikan Yesus Kristus'],
  ['2026-05-27', N, 'Iduladha 1447 Hijriah'],
  ['2026-05-28', C, 'Cuti bersama Iduladha 1447 Hijriah'],
  ['2026-05-31', N, 'Hari Raya Waisak 2570 BE'],
  ['2026-06-01', N, 'Hari Lahir Pancasila'],
  ['2026-06-16', N, '1 Muharam Tahun Baru Islam 1448 Hijriah'],
  ['2026-08-17', N, 'Proklamasi Kemerdekaan'],
  ['2026-08-25', N, 'Maulid Nabi Muhammad SAW'],
  ['2026-12-24', C, 'Cuti bersama Kelahiran Yesus Kristus'],
  ['2026-12-25', N, 'Kelahiran Yesus Kristus'],

  // 2027: no SKB yet. Lunar dates estimated (Umm al-Qura and the MABIMS crescent criteria for the
  // Hijri months, the new and full moons for Nyepi, Imlek and Waisak); cuti bersama guessed from the
  // 2025–2026 pattern (bridging days next to a weekend).
  ['2027-01-01', N, 'Tahun Baru 2027 Masehi'],
  ['2027-01-05', N, `Isra Mikraj Nabi Muhammad SAW${EST}`],
  ['2027-02-06', N, `Tahun Baru Imlek 2578 Kongzili${EST}`],
  ['2027-03-08', C, `Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1949)${EST}`],
  ['2027-03-09', N, `Hari Suci Nyepi (Tahun Baru Saka 1949)${EST}`],
  ['2027-03-10', N, `Idul Fitri 1448 Hijriah${EST}`],
  ['2027-03-11', N, `Idul Fitri 1448 Hijriah${EST}`],
  ['2027-03-12', C, `Cuti bersama Idul Fitri 1448 Hijriah${EST}`],
  ['2027-03-15', C, `Cuti bersama Idul Fitri 1448 Hijriah${EST}`],
  ['2027-03-26', N, 'Wafat Yesus Kristus'],
  ['2027-03-28', N, 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2027-05-01', N, 'Hari Buruh Internasional'],
  ['2027-05-06', N, 'Kenaikan Yesus Kristus'],
  ['2027-05-07', C, `Cuti bersama Kenaikan Yesus Kristus${EST}`],
  ['2027-05-17', N, `Iduladha 1448 Hijriah${EST}`],
  ['2027-05-20', N, `Hari Raya Waisak 2571 BE${EST}`],
  ['2027-06-01', N, 'Hari Lahir Pancasila'],
  ['2027-06-06', N, `1 Muharam Tahun Baru Islam 1449 Hijriah${EST}`],
  ['2027-08-15', N, `Maulid Nabi Muhammad SAW${EST}`],
  ['2027-08-17', N, 'Proklamasi Kemerdekaan'],
  ['2027-12-24', C, `Cuti bersama Kelahiran Yesus Kristus${EST}`],
  ['2027-12-25', N, 'Kelahiran Yesus Kristus'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE holidays (
      date date PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT holidays_kind_known CHECK (kind IN ('national', 'cuti_bersama', 'local')),
      CONSTRAINT holidays_name_length CHECK (char_length(name) BETWEEN 2 AND 200)
    )`.execute(db);
  await sql`
    INSERT INTO holidays (date, kind, name) VALUES
    ${sql.join(HOLIDAYS.map(([date, kind, name]) => sql`(${date}::date, ${kind}, ${name})`))}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS holidays`.execute(db);
}
