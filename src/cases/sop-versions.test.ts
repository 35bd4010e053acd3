import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import { jakartaDate } from '../../test/helpers/clock.ts';
import { addSopVersion, builtInSop } from '../sop/catalogue.ts';

const WEBSITE_SOP_V1 = builtInSop('website');

import { pdf } from '../storage/test-fixtures.ts';
import { nextNumber } from './counter.repository.ts';

let t: TestApp;
let opd: string;
let umum: string;
beforeAll(async () => {
  t = await createTestApp();
  opd = (await t.as(['opd'])).cookie;
  umum = (await t.as(['umum'])).cookie;
});
afterAll(() => t.close());

async function file(): Promise<{ id: string; version: number; sop: { version: number } }> {
  const body = multipart(
    {
      kind: 'new',
      subject: 'Versi SOP',
      letterNumber: '9/9/9',
      letterDate: jakartaDate(t.now()),
      description: 'x',
    },
    [{ field: 'letter', name: 's.pdf', type: 'application/pdf', data: pdf() }],
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: opd },
    payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('SOP versions', () => {
  it('a case keeps the version it started with; new cases take the new one', async () => {
    const old = await file();
    expect(old.sop.version).toBe(1);
    addSopVersion({
      ...WEBSITE_SOP_V1,
      version: 2,
      steps: WEBSITE_SOP_V1.steps.map((s) =>
        s.key === 'registrasi' ? { ...s, standardTime: { minutes: 10 } } : s,
      ),
    });
    const fresh = await file();
    expect(fresh.sop.version).toBe(2);
    for (const c of [old, fresh]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/actions/submit`,
        headers: { cookie: opd },
        payload: { version: c.version },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const registration = async (id: string) => {
      const res = await t.app.inject({ url: `/api/cases/${id}`, headers: { cookie: umum } });
      return (res.json().steps as { key: string; standardSeconds: number }[]).find(
        (s) => s.key === 'registrasi',
      );
    };
    expect((await registration(old.id))?.standardSeconds).toBe(3 * 60);
    expect((await registration(fresh.id))?.standardSeconds).toBe(10 * 60);
    const services = await t.app.inject({ url: '/api/services', headers: { cookie: opd } });
    expect(services.json()[0].version).toBe(2);
  });

  it('refuses a version that is not newer', () => {
    expect(() => addSopVersion({ ...WEBSITE_SOP_V1, version: 1 })).toThrow(/not newer/);
  });
});

describe('running numbers', () => {
  it('50 numbers taken in parallel transactions are distinct and consecutive', async () => {
    const year = 2099;
    const got = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.db.transaction().execute((trx) => nextNumber(trx, 'test-parallel', year)),
      ),
    );
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('a number whose transaction rolls back is given again, never skipped', async () => {
    const year = 2098;
    await expect(
      t.db.transaction().execute(async (trx) => {
        await nextNumber(trx, 'test-rollback', year);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await t.db.transaction().execute((trx) => nextNumber(trx, 'test-rollback', year))).toBe(1);
  });
});
