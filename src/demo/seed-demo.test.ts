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
    expect(r.cases).toBe(15);
    const rows = await t.db.selectFrom('cases').select(['status', 'step_key']).execute();
    const steps = new Set(rows.filter((c) => c.status !== 'rejected').map((c) => c.step_key));
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
