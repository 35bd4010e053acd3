import { expect } from 'vitest';
import { pdf } from '../../src/storage/test-fixtures.ts';
import { multipart, type TestApp } from './app.ts';
import { jakartaDate } from './clock.ts';

// The related services' API tests share this: the people of every lane, filing a request for a
// service, acting on it, and the office pattern (registration → disposition → review → decision
// with its letter) every DKISP SOP starts with.

export type Detail = Record<string, unknown> & {
  id: string;
  ref: string;
  version: number;
  status: string;
  step: { key: string } | null;
  facts: Record<string, unknown>;
  actions: { key: string }[];
  reveal?: Record<string, string>;
};

export type People = Record<
  'opd' | 'otherOpd' | 'umum' | 'kepala' | 'kabid' | 'subkoor' | 'staf' | 'admin',
  { cookie: string; id: string; opdId: string | null }
>;

export async function people(t: TestApp): Promise<People> {
  const out: Partial<People> = {};
  for (const role of ['umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin', 'opd'] as const) {
    const { user, cookie } = await t.as([role]);
    out[role] = { cookie, id: user.id, opdId: user.opdId ?? null };
  }
  const other = await t.as(['opd']);
  out.otherOpd = { cookie: other.cookie, id: other.user.id, opdId: other.user.opdId ?? null };
  return out as People;
}

export function related(t: TestApp, who: People) {
  const today = () => jakartaDate(t.now());

  async function call(
    method: 'GET' | 'POST',
    url: string,
    as: keyof People,
    payload?: Record<string, unknown>,
  ) {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie: who[as].cookie },
      ...(payload ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  }

  /** The OPD files a request for `service` with its facts (form fields, as the portal sends them). */
  async function file(
    service: string,
    facts: Record<string, string>,
    as: keyof People = 'opd',
  ): Promise<Detail> {
    const body = multipart(
      {
        service,
        subject: `Permohonan ${service}`,
        letterNumber: '027/88/DISKOMINFO/2026',
        letterDate: today(),
        description: 'Mohon dapat ditindaklanjuti.',
        ...facts,
      },
      [{ field: 'letter', name: 'surat permohonan.pdf', type: 'application/pdf', data: pdf() }],
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...body.headers, cookie: who[as].cookie },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Detail;
  }

  async function act(
    c: Detail,
    as: keyof People,
    action: string,
    payload: Record<string, unknown> = {},
    expected = 200,
  ): Promise<Detail> {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/${action}`,
      headers: { cookie: who[as].cookie },
      payload: { version: c.version, ...payload },
    });
    expect(res.statusCode, `${as} ${action}: ${res.body}`).toBe(expected);
    return (expected === 200 ? res.json() : c) as Detail;
  }

  /** Submitted, registered, disposed, reviewed, approved, the follow-up letter sent. */
  async function throughOffice(filed: Detail): Promise<Detail> {
    const unit = await t.db
      .selectFrom('units')
      .select('id')
      .where('code', '=', 'APTIKA')
      .executeTakeFirstOrThrow();
    let c = await act(filed, 'opd', 'submit');
    c = await act(c, 'umum', 'register', {
      receivedAt: t.now().toISOString(),
      urgency: 'biasa',
      addressee: 'Kepala DKISP',
      scanConfirmed: true,
    });
    c = await act(c, 'kepala', 'dispose', { toUnitId: unit.id, instruction: 'tindak_lanjuti' });
    c = await act(c, 'kabid', 'dispose_on', { toUserId: who.subkoor.id, instruction: 'pelajari' });
    c = await act(c, 'subkoor', 'review', { findings: 'Dapat dilaksanakan.', recommendation: 'approve' });
    c = await act(c, 'kabid', 'decide', { decision: 'approve' });
    c = await act(c, 'umum', 'send_letter', { letterDate: today() });
    return c;
  }

  async function documents(c: Detail, as: keyof People) {
    const r = await call('GET', `/api/cases/${c.id}/documents`, as);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { id: string; kind: string; number: string | null; title: string }[];
  }

  return { today, call, file, act, throughOffice, documents };
}
