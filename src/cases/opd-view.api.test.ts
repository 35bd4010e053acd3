import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, multipart, type TestApp } from '../../test/helpers/app.ts';
import * as stepDecider from '../db/migrations/0012_step_decider.ts';
import { recordChange } from '../registry/history.ts';
import { pdf, png, zip } from '../storage/test-fixtures.ts';

// What an OPD sees of its own request and website (docs/adr/0009-what-the-opd-sees.md), read at
// every step of a request that is returned for revision, approved, built, installed and closed:
// the case detail, the case list, the step records, the history, the files, the documents, its
// notifications and its website's registry history. DKISP staff read the same records whole.

let t: TestApp;
const who: Record<string, { cookie: string; id: string; username: string; opdId?: string | null }> = {};
let units: Record<string, string>;
const reg = { serverId: '', poolId: '' };

// Words only DKISP's internal records hold: none may reach the OPD.
const NOTE = 'CATATAN-DISPOSISI-INTERNAL';
const ON_NOTE = 'CATATAN-DISPOSISI-LANJUTAN';
const FINDINGS = 'TEMUAN-PENGKAJIAN-INTERNAL';
const REASON = 'ALASAN-REVISI-DARI-KABID';
const KAK_GOALS = 'TUJUAN-KAK-DRAFT';
const CLOSE_NOTES = 'CATATAN-PENUTUPAN-INTERNAL';
const NETWORK = 'VLAN-RAHASIA-20';
const RAW_ERROR = '127.0.0.1:9: connect ECONNREFUSED';
const WEBSITE_NOTES = 'CATATAN-REGISTRI-INTERNAL';

/**
 * The clock is an input: 20:00 WIB on the next Monday–Thursday at least a day ahead (outside office
 * hours; ahead of the database's own clock, which sessions are checked against), moving on from there.
 */
function eveningAhead(): Date {
  const d = new Date(Date.now() + 86_400_000);
  while (![1, 2, 3, 4].includes(new Date(d.getTime() + 7 * 3_600_000).getUTCDay())) {
    d.setTime(d.getTime() + 86_400_000);
  }
  const day = new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  return new Date(`${day}T13:00:00Z`);
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: eveningAhead(), shouldAdvanceTime: true });
  // The app's clock is the faked Date above (createTestApp's default starts at 1 December).
  t = await createTestApp({}, undefined, { now: () => new Date() });
  for (const role of ['umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin'] as const) {
    const { user, cookie } = await t.as([role]);
    who[role] = { cookie, id: user.id, username: user.username };
  }
  const o = await t.as(['opd']);
  who.opd = { cookie: o.cookie, id: o.user.id, username: o.user.username, opdId: o.user.opdId };
  units = Object.fromEntries(
    (await t.db.selectFrom('units').select(['code', 'id']).execute()).map((u) => [u.code, u.id]),
  );
  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url, headers: { cookie: who.admin?.cookie }, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  await post('/api/registry/zones', { name: 'example-kab.go.id' });
  reg.serverId = (
    await post('/api/registry/servers', { name: 'web-01', kind: 'shared', location: 'noc', roles: ['web'] })
  ).id;
  reg.poolId = (
    await post('/api/registry/pools', { name: 'NOC publik', cidr: '203.0.113.0/24', gateway: '203.0.113.1' })
  ).id;
});
afterAll(async () => {
  await t.close();
  vi.useRealTimers();
});

type Person = { id?: string; username?: string; fullName: string; role?: string };
type Detail = {
  id: string;
  version: number;
  status: string;
  step: { key: string };
  waitingFor: string[];
  pendingDecision: string | null;
  decision: { decision: string; reason: string | null; at: string; by: Person } | null;
  registration: { agendaNumber: string; urgency?: string } | null;
  actions: { key: string; units?: string[] }[];
  steps: {
    key: string;
    endedAt: string | null;
    actor: Person | null;
    decidedBy: Person | null;
    decidedAt: string | null;
    outputs: Record<string, unknown>;
  }[];
  dispositions: unknown[];
  files: { id: string; purpose: string; url: string; uploadedBy: Person }[];
  kak: unknown[];
  team: unknown[];
  history: { action: string; actor: Person | null; payload: Record<string, unknown> }[];
  website: { id: string } | null;
};

/** Today in Jakarta. */
const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

async function get(url: string, as: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: who[as]?.cookie ?? '' } });
}

async function read(id: string, as: string): Promise<Detail> {
  const res = await get(`/api/cases/${id}`, as);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function act(c: { id: string; version: number }, as: string, action: string, payload = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/actions/${action}`,
    headers: { cookie: who[as]?.cookie ?? '' },
    payload: { version: c.version, ...payload },
  });
  expect(res.statusCode, `${as} ${action}: ${res.body}`).toBe(200);
  return res.json() as Detail;
}

async function actFiles(
  c: Detail,
  as: string,
  action: string,
  fields: Record<string, string>,
  files: Parameters<typeof multipart>[1],
) {
  const body = multipart({ version: String(c.version), ...fields }, files);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/actions/${action}`,
    headers: { ...body.headers, cookie: who[as]?.cookie ?? '' },
    payload: body.payload,
  });
  expect(res.statusCode, `${as} ${action}: ${res.body}`).toBe(200);
  return res.json() as Detail;
}

const staffUsernames = () =>
  ['umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin'].map((r) => who[r]?.username as string);

/**
 * Everything the OPD can read about the case now — detail, list, documents, notifications —
 * holds none of the internal words, no DKISP username or account id, and none of the internal
 * records; the files and documents it lists are the ones addressed to it, and it can download no
 * other. Returns the OPD's detail for further checks.
 */
async function opdSeesNothingInternal(id: string, hidden: string[]): Promise<Detail> {
  const d = await read(id, 'opd');
  const list = await get('/api/cases?view=all', 'opd');
  const docs = await get(`/api/cases/${id}/documents`, 'opd');
  const notes = await get('/api/notifications?pageSize=100', 'opd');
  for (const res of [list, docs, notes]) expect(res.statusCode, res.body).toBe(200);
  const everything = JSON.stringify([d, list.json(), docs.json(), notes.json()]);
  for (const word of [...hidden, ...staffUsernames()]) expect(everything).not.toContain(word);
  for (const role of ['umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin']) {
    expect(everything).not.toContain(who[role]?.id);
  }
  expect(d.pendingDecision).toBeNull();
  expect(d.dispositions).toEqual([]);
  expect(d.kak).toEqual([]);
  expect(d.team).toEqual([]);
  expect(d.registration?.urgency).toBeUndefined();
  expect(d.history.map((h) => h.action)).not.toContain('decide');
  expect(d.history.map((h) => h.action)).not.toContain('dispose_on');
  expect(d.history.map((h) => h.action)).not.toContain('save_kak');
  for (const f of d.files) expect(['letter', 'attachment']).toContain(f.purpose);
  for (const doc of docs.json() as { kind: string }[]) expect(doc.kind).toBe('follow_up_letter');

  // What it may not list, it may not download either.
  const staffView = await read(id, 'kabid');
  for (const f of staffView.files.filter((x) => !['letter', 'attachment'].includes(x.purpose))) {
    expect((await get(f.url, 'opd')).statusCode).toBe(404);
  }
  const staffDocs = (await get(`/api/cases/${id}/documents`, 'kabid')).json() as {
    kind: string;
    url: string;
  }[];
  for (const doc of staffDocs.filter((x) => x.kind !== 'follow_up_letter')) {
    expect((await get(doc.url, 'opd')).statusCode).toBe(404);
  }
  return d;
}

async function issue(id: string, kind: string, as = 'umum') {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${id}/documents`,
    headers: { cookie: who[as]?.cookie ?? '' },
    payload: { kind },
  });
  expect(res.statusCode, res.body).toBe(201);
}

describe('what the OPD sees of its request, step by step', () => {
  it('progress and what is addressed to it; never the deliberation, the accounts or the working files', async () => {
    const body = multipart(
      {
        kind: 'new',
        subject: 'Permohonan pembuatan website Dinas',
        letterNumber: '027/9/DINAS/2026',
        letterDate: today(),
        description: 'Kami memohon pembuatan website.',
        requestedHostname: 'dinas-opdview.example-kab.go.id',
      },
      [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf() }],
    );
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...body.headers, cookie: who.opd?.cookie },
      payload: body.payload,
    });
    expect(created.statusCode, created.body).toBe(201);
    let c = created.json() as Detail;
    c = await act(c, 'opd', 'submit');
    c = await act(c, 'umum', 'register', {
      receivedAt: new Date().toISOString(),
      urgency: 'sangat_segera',
      addressee: 'Kepala DKISP',
      scanConfirmed: true,
    });
    await issue(c.id, 'disposition_sheet');
    let o = await opdSeesNothingInternal(c.id, []);
    expect(o.registration?.agendaNumber).toBeTruthy();
    expect(o.history.map((h) => h.action)).toEqual(['create', 'submit', 'register']);
    expect((await read(c.id, 'umum')).registration?.urgency).toBe('sangat_segera');

    c = await act(c, 'kepala', 'dispose', {
      toUnitId: units.APTIKA,
      instruction: 'tindak_lanjuti',
      note: NOTE,
    });
    c = await act(c, 'kabid', 'dispose_on', {
      toUserId: who.subkoor?.id,
      instruction: 'pelajari',
      note: ON_NOTE,
    });
    await issue(c.id, 'disposition_sheet');
    o = await opdSeesNothingInternal(c.id, [NOTE, ON_NOTE]);
    // The step the Kepala ended is shown by position, not by account.
    const disposed = o.steps.find((s) => s.key === 'disposisi');
    expect(disposed?.actor).toEqual({ fullName: 'Kepala DKISP', role: 'kepala' });

    c = await act(c, 'subkoor', 'review', { findings: FINDINGS, recommendation: 'return' });
    const beforeDecision = await opdSeesNothingInternal(c.id, [NOTE, ON_NOTE, FINDINGS]);

    // Decided, letter not sent: nothing of the decision reaches the OPD, not even that it is taken.
    c = await act(c, 'kabid', 'decide', { decision: 'return', reason: REASON });
    o = await opdSeesNothingInternal(c.id, [NOTE, ON_NOTE, FINDINGS, REASON]);
    expect(o.decision).toBeNull();
    expect(o.waitingFor).toEqual(beforeDecision.waitingFor);
    const listed = (await get('/api/cases?view=all', 'opd')).json() as { items: Detail[] };
    expect(listed.items.find((x) => x.id === c.id)?.waitingFor).toEqual(beforeDecision.waitingFor);
    // Staff see the decision, who took it and when, on the case and on the running step.
    let s = await read(c.id, 'umum');
    expect(s.pendingDecision).toBe('return');
    expect(s.decision?.by.username).toBe(who.kabid?.username);
    expect(s.steps.at(-1)?.decidedBy?.username).toBe(who.kabid?.username);
    expect(s.steps.at(-1)?.decidedAt).toBeTruthy();

    // The letter is sent: the OPD now reads the decision as the letter states it.
    c = await act(c, 'umum', 'send_letter', { letterDate: today() });
    o = await opdSeesNothingInternal(c.id, [NOTE, ON_NOTE, FINDINGS]);
    expect(o.status).toBe('revision');
    expect(o.decision).toMatchObject({ decision: 'return', reason: REASON });
    expect(o.decision?.by).toEqual({ fullName: 'Kepala Bidang Aplikasi Informatika', role: 'kabid' });
    const round1 = o.steps.find((x) => x.key === 'keputusan');
    expect(round1?.actor).toEqual({ fullName: 'Bagian Umum', role: 'umum' });
    expect(round1?.decidedBy).toEqual({ fullName: 'Kepala Bidang Aplikasi Informatika', role: 'kabid' });
    expect(round1?.decidedAt).toBeTruthy();
    expect(round1?.outputs).toEqual({ send_letter: { followUpLetter: expect.any(String) } });
    const docs = (await get(`/api/cases/${c.id}/documents`, 'opd')).json() as {
      kind: string;
      url: string;
      issuedBy: Record<string, unknown>;
    }[];
    expect(docs.map((d) => d.kind)).toEqual(['follow_up_letter']);
    expect(docs[0]?.issuedBy).toEqual({ fullName: 'Bagian Umum' });
    expect((await get(docs[0]?.url ?? '', 'opd')).statusCode).toBe(200);
    // Staff: the step names who decided and who closed it — two people.
    s = await read(c.id, 'kabid');
    const staffRound1 = s.steps.find((x) => x.key === 'keputusan');
    expect(staffRound1?.actor?.username).toBe(who.umum?.username);
    expect(staffRound1?.decidedBy?.username).toBe(who.kabid?.username);
    expect(s.dispositions).toHaveLength(2);
    expect(JSON.stringify(s)).toContain(FINDINGS);
    expect(JSON.stringify(s)).toContain(NOTE);

    // The second round: the new decision is hidden again until its own letter.
    c = await act(c, 'opd', 'resubmit', { changes: 'Kami lengkapi.' });
    c = await act(c, 'kabid', 'review', { findings: `${FINDINGS}-2`, recommendation: 'approve' });
    c = await act(c, 'kabid', 'decide', { decision: 'approve', reason: `${REASON}-2` });
    o = await opdSeesNothingInternal(c.id, [NOTE, ON_NOTE, FINDINGS, `${REASON}-2`]);
    expect(o.decision).toBeNull();
    expect(o.steps.at(-1)?.decidedBy).toBeNull();
    c = await act(c, 'umum', 'send_letter', { letterDate: today() });
    o = await opdSeesNothingInternal(c.id, [NOTE, ON_NOTE, FINDINGS]);
    expect(o.decision).toMatchObject({ decision: 'approve', reason: `${REASON}-2` });

    // The work: team, KAK drafts, the build archive and the report's files are DKISP's.
    c = await act(c, 'kabid', 'start_work', { websiteExists: false, teamUserIds: [who.staf?.id] });
    const kak = {
      goals: KAK_GOALS,
      scope: 'Profil',
      menuStructure: 'Beranda',
      features: 'CMS',
      targetUsers: 'Masyarakat',
      schedule: '2 minggu',
      team: 'Staf',
    };
    c = await act(c, 'staf', 'save_kak', kak);
    await issue(c.id, 'case_summary', 'staf');
    c = await act(c, 'staf', 'complete_analysis', { notes: CLOSE_NOTES });
    c = await actFiles(c, 'staf', 'complete_build', { template: 'Pemda', cms: 'WordPress' }, [
      {
        field: 'source',
        name: 'website.zip',
        type: 'application/zip',
        data: zip({ 'index.html': '<h1>x</h1>' }),
      },
    ]);
    c = await act(c, 'staf', 'record_installation', {
      serverId: reg.serverId,
      poolId: reg.poolId,
      networkConfig: NETWORK,
      siteAnswers: true,
    });
    c = await actFiles(c, 'subkoor', 'report', { summary: 'Terpasang.' }, [
      { field: 'documentation', name: 'foto.png', type: 'image/png', data: Buffer.from(png()) },
    ]);
    await issue(c.id, 'report', 'subkoor');
    c = await act(c, 'kabid', 'close', { notes: CLOSE_NOTES });
    o = await opdSeesNothingInternal(c.id, [NOTE, ON_NOTE, FINDINGS, KAK_GOALS, CLOSE_NOTES, NETWORK]);
    expect(o.status).toBe('done');
    expect(o.files.map((f) => f.purpose)).toEqual(['letter']);
    expect(o.files[0]?.uploadedBy).toEqual({ fullName: expect.any(String), role: 'opd' });
    const installed = o.steps.find((x) => x.key === 'instalasi');
    expect(Object.keys(installed?.outputs.record_installation as object).sort()).toEqual(['hostname', 'url']);

    // Staff still have every working record.
    s = await read(c.id, 'kabid');
    expect(s.files.map((f) => f.purpose).sort()).toEqual(['letter', 'report', 'source']);
    expect(s.kak).toHaveLength(1);
    expect(s.team).toHaveLength(1);
    expect(JSON.stringify(s)).toContain(NETWORK);
    const staffDocs = (await get(`/api/cases/${c.id}/documents`, 'kabid')).json() as { kind: string }[];
    expect(new Set(staffDocs.map((d) => d.kind))).toEqual(
      new Set(['disposition_sheet', 'follow_up_letter', 'case_summary', 'report']),
    );
  });
});

describe('what the OPD sees of its website', () => {
  it('its history names DKISP staff by position and a failed installation in plain words', async () => {
    // The website's registry history: the provisioning error and DKISP's accounts stay inside.
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/registry/websites',
      headers: { cookie: who.admin?.cookie },
      payload: { opdId: who.opd?.opdId, purpose: 'Website resmi', hostname: 'opd-riwayat.example-kab.go.id' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const websiteId = (made.json() as { id: string }).id;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/registry/websites/${websiteId}`,
      headers: { cookie: who.staf?.cookie },
      payload: {
        version: ((await get(`/api/registry/websites/${websiteId}`, 'staf')).json() as { version: number })
          .version,
        notes: WEBSITE_NOTES,
        reason: 'Catatan petugas',
      },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const ctx = {
      actor: {
        id: who.staf?.id ?? '',
        username: who.staf?.username ?? '',
        roles: ['staf'] as const,
        opdId: null,
      },
      meta: { ip: null, userAgent: null },
    };
    // As the provisioning worker records a failed run (src/provisioning/runs.ts).
    await t.db.transaction().execute((trx) =>
      recordChange(trx, ctx, {
        entity: 'website',
        id: websiteId,
        action: 'provision.install.failed',
        after: { runId: '9c1f0000-0000-4000-8000-000000000000', step: 'dns', error: RAW_ERROR },
      }),
    );
    const opdHistory = await get(`/api/registry/websites/${websiteId}/history`, 'opd');
    expect(opdHistory.statusCode, opdHistory.body).toBe(200);
    const text = JSON.stringify(opdHistory.json());
    for (const word of [
      RAW_ERROR,
      'ECONNREFUSED',
      '9c1f0000',
      WEBSITE_NOTES,
      'Catatan petugas',
      ...staffUsernames(),
    ]) {
      expect(text).not.toContain(word);
    }
    const items = (
      opdHistory.json() as { items: { action: string; actor: string | null; reason: string | null }[] }
    ).items;
    const failed = items.find((i) => i.action === 'website.provision.install.failed');
    expect(failed?.reason).toMatch(/gagal/i);
    expect(failed?.actor).toBe('Staf Bidang Aplikasi Informatika');
    const opdWebsite = (await get(`/api/registry/websites/${websiteId}`, 'opd')).json() as { notes: unknown };
    expect(opdWebsite.notes).toBeNull();
    // Staff read the same history whole.
    const staffText = JSON.stringify(
      (await get(`/api/registry/websites/${websiteId}/history`, 'staf')).json(),
    );
    expect(staffText).toContain(RAW_ERROR);
    expect(staffText).toContain(who.staf?.username);
    expect(staffText).toContain(WEBSITE_NOTES);
    // Provisioning runs themselves are DKISP's only.
    expect((await get(`/api/registry/websites/${websiteId}/provision-runs`, 'opd')).statusCode).toBe(403);
  });
});

/** A new request, filed, submitted and registered: it waits for the Kepala's disposition. */
async function registered(label: string): Promise<Detail> {
  const body = multipart(
    {
      kind: 'new',
      subject: `Permohonan website ${label}`,
      letterNumber: `027/${label}/DINAS/2026`,
      letterDate: today(),
      description: 'Mohon.',
      requestedHostname: `dinas-${label}.example-kab.go.id`,
    },
    [{ field: 'letter', name: 'surat.pdf', type: 'application/pdf', data: pdf() }],
  );
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...body.headers, cookie: who.opd?.cookie },
    payload: body.payload,
  });
  expect(created.statusCode, created.body).toBe(201);
  let c = created.json() as Detail;
  c = await act(c, 'opd', 'submit');
  return act(c, 'umum', 'register', {
    receivedAt: new Date().toISOString(),
    urgency: 'biasa',
    addressee: 'Kepala DKISP',
    scanConfirmed: true,
  });
}

describe('the Kepala disposes only to a unit that can carry the next step', () => {
  it('refuses another unit with 422 and changes nothing; offers the application division only', async () => {
    let c = await registered('unit');
    for (const code of ['SEKRETARIAT', 'PIMPINAN']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${c.id}/actions/dispose`,
        headers: { cookie: who.kepala?.cookie },
        payload: { version: c.version, toUnitId: units[code], instruction: 'tindak_lanjuti' },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ error: { code: 'REFERENCE_INVALID' } });
    }
    const after = await read(c.id, 'kepala');
    expect(after.version).toBe(c.version);
    expect(after.step.key).toBe('disposisi');
    expect(after.dispositions).toEqual([]);
    expect(after.actions.find((a) => a.key === 'dispose')?.units).toEqual(['APTIKA']);
    c = await act(c, 'kepala', 'dispose', { toUnitId: units.APTIKA, instruction: 'tindak_lanjuti' });
    expect(c.step.key).toBe('pengkajian');
  });
});

describe('who decided and who closed the decision step', () => {
  it('the step keeps the Kabid who decided, and when, besides the Bagian Umum clerk who sent the letter', async () => {
    let c = await registered('putus');
    c = await act(c, 'kepala', 'dispose', { toUnitId: units.APTIKA, instruction: 'tindak_lanjuti' });
    c = await act(c, 'kabid', 'review', { findings: 'Layak.', recommendation: 'reject' });
    const before = Date.now();
    c = await act(c, 'kabid', 'decide', { decision: 'reject', reason: 'Sudah ada website induk.' });
    const decidedBy = Date.now();
    c = await act(c, 'umum', 'send_letter', { letterDate: today() });
    const step = (await read(c.id, 'kepala')).steps.find((x) => x.key === 'keputusan');
    expect(step?.actor).toMatchObject({ id: who.umum?.id, username: who.umum?.username });
    expect(step?.decidedBy).toMatchObject({ id: who.kabid?.id, username: who.kabid?.username });
    const at = new Date(step?.decidedAt ?? 0).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(decidedBy);
    expect(at).toBeLessThanOrEqual(new Date(step?.endedAt ?? 0).getTime());
    // Other steps have no decider.
    const others = (await read(c.id, 'kepala')).steps.filter((x) => x.key !== 'keputusan');
    for (const x of others) expect(x.decidedBy).toBeNull();

    // Cases decided before the migration get their decider from the 'decide' events: every decision
    // step of every case so far (the first test's request had two rounds) gets the same decider back.
    const deciders = () =>
      t.db
        .selectFrom('case_steps')
        .select(['id', 'decided_by', 'decided_at'])
        .where('step_key', '=', 'keputusan')
        .orderBy('id')
        .execute();
    const recorded = await deciders();
    expect(recorded.filter((r) => r.decided_by !== null).length).toBeGreaterThanOrEqual(3);
    await stepDecider.down(t.db);
    await stepDecider.up(t.db);
    const filled = await deciders();
    expect(filled.map((r) => r.decided_by)).toEqual(recorded.map((r) => r.decided_by));
    expect(filled.map((r) => r.decided_at === null)).toEqual(recorded.map((r) => r.decided_at === null));
  });
});
