import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { makeCaseDeps } from '../cases/make-case-deps.ts';
import { LocalFileStore } from '../storage/file-store.ts';
import { storageSettings } from '../storage/settings.ts';
import { DEMO_PASSWORD, seedDemo } from './seed-demo.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('demo data', () => {
  it('puts cases at every step of the website SOP, one user per role, and refuses to run twice', async () => {
    const settings = storageSettings(t.config);
    const deps = await makeCaseDeps(t.db, t.config, new LocalFileStore(settings.filesDir), undefined, t.now);
    const r = await seedDemo(t.db, deps, settings.tmpDir);
    expect(r.cases).toBe(17);
    const rows = await t.db.selectFrom('cases').select(['status', 'step_key', 'sop_key', 'ref']).execute();
    expect(rows).toHaveLength(r.cases);
    // Two related services' requests, at plausible steps: the consultation's meeting is set, the
    // colocation is being reviewed.
    const of = (key: string) => rows.filter((c) => c.sop_key === key);
    expect(of('konsultasi')).toEqual([
      expect.objectContaining({ status: 'active', step_key: 'jadwal', ref: expect.stringMatching(/^KON-/) }),
    ]);
    expect(of('colocation')).toEqual([
      expect.objectContaining({
        status: 'active',
        step_key: 'pengkajian',
        ref: expect.stringMatching(/^COL-/),
      }),
    ]);
    const meeting = await t.db
      .selectFrom('cases')
      .select('facts')
      .where('sop_key', '=', 'konsultasi')
      .executeTakeFirstOrThrow();
    expect(meeting.facts).toMatchObject({
      topic: 'integrasi',
      schedules: { jadwal: expect.objectContaining({ place: expect.stringContaining('Ruang rapat') }) },
    });
    const steps = new Set(
      rows.filter((c) => c.status !== 'rejected' && c.sop_key === 'website').map((c) => c.step_key),
    );
    for (const step of [
      'permohonan',
      'registrasi',
      'disposisi',
      'pengkajian',
      'keputusan',
      'mulai',
      'analisis',
      'pembuatan',
      'instalasi',
      'laporan',
      'selesai',
    ]) {
      expect(steps.has(step), step).toBe(true);
    }
    expect(new Set(rows.map((c) => c.status))).toEqual(
      new Set(['draft', 'active', 'revision', 'rejected', 'done']),
    );
    const kabid = await t.login('kabid', DEMO_PASSWORD);
    const inbox = await t.app.inject({ url: '/api/cases?view=inbox', headers: { cookie: kabid } });
    expect(inbox.json().total).toBeGreaterThan(0);
    await expect(seedDemo(t.db, deps, settings.tmpDir)).rejects.toThrow(/empty installation/);
  }, 60_000);
});
