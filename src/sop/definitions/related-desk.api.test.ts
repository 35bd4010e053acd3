import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { clockFrom, OFFICE_HOURS } from '../../../test/helpers/clock.ts';
import { type People, people, related } from '../../../test/helpers/related-flow.ts';
import { makeCaseDeps } from '../../cases/make-case-deps.ts';
import { sweepOverdue } from '../../cases/overdue-sweep.ts';
import { MemoryFileStore } from '../../storage/file-store.ts';

// The desk around a case works for a related service as it does for the website SOP: the inbox of
// whoever must act, the notification at the hand-off, the overdue sweep against the step's standard
// time on the working calendar, and the OPD's own list — nothing of it names a service.

let t: TestApp;
let who: People;
let flow: ReturnType<typeof related>;
/** Tuesday 09:00 WIB moving with real time, plus what the test skips ahead. */
const office = clockFrom(OFFICE_HOURS);
let skipped = 0;
const now = () => new Date(office().getTime() + skipped);
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestApp({}, undefined, { now });
  who = await people(t);
  flow = related(t, who);
});
afterAll(() => t.close());

type Summary = { id: string; ref: string; waitingFor: string[]; step: { key: string }; overdue: boolean };
type Page = { items: Summary[] };
type Notification = { kind: string; link: string | null; title: string };

describe('a consultation request at the desk', () => {
  it('is in Bagian Umum’s inbox and notified on submission, then swept as overdue past its 3 minutes', async () => {
    const filed = await flow.file('konsultasi', { topic: 'keamanan', technicalContact: 'Rina, 0812-1' });
    expect(filed.ref).toMatch(/^KON-2026-\d{5}$/);
    // A draft waits for its OPD only.
    const before = (await flow.call('GET', '/api/cases?view=inbox', 'umum')).body as Page;
    expect(before.items.map((c) => c.id)).not.toContain(filed.id);

    const c = await flow.act(filed, 'opd', 'submit');
    expect(c.step?.key).toBe('registrasi');
    const inbox = (await flow.call('GET', '/api/cases?view=inbox', 'umum')).body as Page;
    const row = inbox.items.find((s) => s.id === c.id);
    expect(row).toMatchObject({ ref: filed.ref, waitingFor: ['umum'], step: { key: 'registrasi' } });
    // Not in the inbox of a role that does not act now; in the OPD's own list.
    const kepala = (await flow.call('GET', '/api/cases?view=inbox', 'kepala')).body as Page;
    expect(kepala.items.map((s) => s.id)).not.toContain(c.id);
    const own = (await flow.call('GET', '/api/cases?view=all', 'opd')).body as Page;
    expect(own.items.map((s) => s.id)).toContain(c.id);
    const other = (await flow.call('GET', '/api/cases?view=all', 'otherOpd')).body as Page;
    expect(other.items.map((s) => s.id)).not.toContain(c.id);

    const told = (await flow.call('GET', '/api/notifications', 'umum')).body as { items: Notification[] };
    expect(told.items).toContainEqual(
      expect.objectContaining({ kind: 'case.waiting', link: `/permohonan/${c.id}` }),
    );

    // Within the standard time the sweep leaves it alone; past it (working minutes, office hours) it flags it.
    const deps = await makeCaseDeps(t.db, t.config, new MemoryFileStore(), undefined, now);
    await sweepOverdue(t.db, deps);
    let overdue = (await flow.call('GET', '/api/cases?view=overdue', 'umum')).body as Page;
    expect(overdue.items.map((s) => s.id)).not.toContain(c.id);
    skipped += 10 * MINUTE;
    expect(await sweepOverdue(t.db, deps)).toBeGreaterThanOrEqual(1);
    overdue = (await flow.call('GET', '/api/cases?view=overdue', 'umum')).body as Page;
    expect(overdue.items.find((s) => s.id === c.id)?.overdue).toBe(true);
    const late = (await flow.call('GET', '/api/notifications', 'umum')).body as { items: Notification[] };
    expect(late.items).toContainEqual(
      expect.objectContaining({ kind: 'case.overdue', link: `/permohonan/${c.id}` }),
    );

    // Registering it moves it on: out of Bagian Umum's inbox, into the head's.
    const registered = await flow.act(c, 'umum', 'register', {
      receivedAt: t.now().toISOString(),
      urgency: 'biasa',
      addressee: 'Kepala DKISP',
      scanConfirmed: true,
    });
    expect(registered.step?.key).toBe('disposisi');
    const after = (await flow.call('GET', '/api/cases?view=inbox', 'umum')).body as Page;
    expect(after.items.map((s) => s.id)).not.toContain(c.id);
    const head = (await flow.call('GET', '/api/cases?view=inbox', 'kepala')).body as Page;
    expect(head.items.map((s) => s.id)).toContain(c.id);
  });
});
