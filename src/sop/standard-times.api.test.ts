import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.as(['admin'])).cookie;
});
afterAll(() => t.close());

const hasPdftotext = fs.existsSync('/usr/bin/pdftotext');

describe('the administrator changes standard times', () => {
  it('makes a new SOP version; the catalogue and the printed SOP sheet follow', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/services/website/standard-times',
      headers: { cookie: admin },
      payload: {
        times: { registrasi: { minutes: 10 }, pembuatan: { workingDays: 10 } },
        note: 'Evaluasi SOP 2026',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ key: 'website', version: 2 });
    const services = (await t.app.inject({ url: '/api/services', headers: { cookie: admin } })).json();
    const steps = services[0].steps as { key: string; standardTime: unknown }[];
    expect(services[0].version).toBe(2);
    expect(steps.find((s) => s.key === 'registrasi')?.standardTime).toEqual({ minutes: 10 });
    expect(steps.find((s) => s.key === 'pembuatan')?.standardTime).toEqual({ workingDays: 10 });
    expect(steps.find((s) => s.key === 'disposisi')?.standardTime).toEqual({ minutes: 2 });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'sop.standard_times')
      .executeTakeFirst();
    expect(audit?.details).toMatchObject({
      version: 2,
      changes: { registrasi: { before: { minutes: 3 }, after: { minutes: 10 } } },
    });

    if (hasPdftotext) {
      const doc = await t.app.inject({
        method: 'POST',
        url: '/api/sop-sheets/website',
        headers: { cookie: admin },
      });
      expect(doc.statusCode, doc.body).toBe(201);
      const pdf = (await t.app.inject({ url: doc.json().url, headers: { cookie: admin } })).rawPayload;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-sop-'));
      fs.writeFileSync(path.join(dir, 's.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-raw', path.join(dir, 's.pdf'), '-'], { encoding: 'utf8' });
      fs.rmSync(dir, { recursive: true, force: true });
      expect(text).toContain('10 Menit');
      expect(text).toContain('10 Hari');
      expect(text).toMatch(/versi 2/i);
    }
  });

  it('refuses unknown steps, bad times and non-administrators, changing nothing', async () => {
    const put = (payload: unknown, cookie = admin) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/services/website/standard-times',
        headers: { cookie },
        payload: payload as object,
      });
    expect((await put({ times: { teleport: { minutes: 5 } } })).statusCode).toBe(400);
    expect((await put({ times: { registrasi: { minutes: 0 } } })).statusCode).toBe(400);
    expect((await put({ times: { registrasi: { hours: 1 } } })).statusCode).toBe(400);
    const kabid = (await t.as(['kabid'])).cookie;
    expect((await put({ times: { registrasi: { minutes: 5 } } }, kabid)).statusCode).toBe(403);
    const versions = await t.db.selectFrom('sop_versions').select('version').execute();
    expect(versions.map((v) => v.version)).toEqual([2]);
  });
});
