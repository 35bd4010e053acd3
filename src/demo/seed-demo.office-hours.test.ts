import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { clockFrom, EARLY_MORNING } from '../../test/helpers/clock.ts';
import { makeCaseDeps } from '../cases/make-case-deps.ts';
import { LocalFileStore } from '../storage/file-store.ts';
import { storageSettings } from '../storage/settings.ts';
import { seedDemo } from './seed-demo.ts';

// `npm run seed:demo` worked at 07:08 WIB and failed at 07:34: inside working hours every step
// ended with a fraction of a minute of working time. Seed with the clock at 07:34 on a working day.

let t: TestApp;
const now = clockFrom(EARLY_MORNING); // Tuesday 1 December 2026, 07:34 WIB
beforeAll(async () => {
  t = await createTestApp({}, undefined, { now });
});
afterAll(() => t.close());

describe('demo data inside office hours', () => {
  it('seeds every case at 07:34 WIB on a working day; every ended step stores whole working seconds', async () => {
    const settings = storageSettings(t.config);
    const deps = await makeCaseDeps(t.db, t.config, new LocalFileStore(settings.filesDir), undefined, now);
    const r = await seedDemo(t.db, deps, settings.tmpDir);
    expect(r.cases).toBe(17);
    const ended = await t.db
      .selectFrom('case_steps')
      .select(['working_seconds', 'started_at', 'ended_at'])
      .where('ended_at', 'is not', null)
      .execute();
    expect(ended.length).toBeGreaterThan(50);
    for (const s of ended) {
      expect(Number.isInteger(s.working_seconds)).toBe(true);
      // Inside working hours every second counts: working time is the elapsed time, rounded.
      const elapsed = ((s.ended_at as Date).getTime() - s.started_at.getTime()) / 1000;
      expect(Math.abs((s.working_seconds ?? -1) - elapsed)).toBeLessThanOrEqual(0.5);
    }
  }, 120_000);
});
