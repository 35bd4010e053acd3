import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { clockFrom, OFFICE_HOURS } from '../../../test/helpers/clock.ts';
import { type Detail, type People, people, related } from '../../../test/helpers/related-flow.ts';

// Three of the related services through the HTTP API on a real database, on their main path: filed
// by an OPD with the service key, each lane acting to the end, the documents the SOP issues, the
// registry effects visible, and the OPD seeing only its own. (Hosting and Hosting dan Subdomain,
// which provision on real servers, are in hosting.api.test.ts.)

let t: TestApp;
let who: People;
let flow: ReturnType<typeof related>;
let poolId = '';
/** The app's clock: Tuesday 09:00 WIB moving with real time, plus what a test skips ahead. */
const office = clockFrom(OFFICE_HOURS);
let skipped = 0;
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestApp({}, undefined, { now: () => new Date(office().getTime() + skipped) });
  who = await people(t);
  flow = related(t, who);
  const pool = await t.app.inject({
    method: 'POST',
    url: '/api/registry/pools',
    headers: { cookie: who.admin.cookie },
    payload: { name: 'Publik kolokasi', cidr: '198.51.100.0/28', gateway: '198.51.100.1' },
  });
  expect(pool.statusCode, pool.body).toBe(201);
  poolId = (pool.json() as { id: string }).id;
});
afterAll(() => t.close());

/** The other OPD sees nothing of the case; the requesting OPD sees it without DKISP's internals. */
async function onlyItsOwn(c: Detail) {
  expect((await flow.call('GET', `/api/cases/${c.id}`, 'otherOpd')).status).toBe(404);
  expect((await flow.call('GET', `/api/cases/${c.id}/documents`, 'otherOpd')).status).toBe(404);
  const mine = await flow.call('GET', `/api/cases/${c.id}`, 'opd');
  expect(mine.status).toBe(200);
  return mine.body as Detail;
}

describe('Layanan Colocation Server', () => {
  it('visit, server recorded with rack and power, addresses, Berita Acara, report, done', async () => {
    const filed = await flow.file('colocation', {
      serverDescription: 'Dell PowerEdge R650, S/N 7XK2Q93',
      rackUnits: '2',
      powerWatts: '450',
      addressesNeeded: '2',
      technicalContact: 'Budi, 0812-3456-7890',
    });
    expect(filed.ref).toMatch(/^COL-2026-\d{5}$/);
    expect((filed.service as { key: string }).key).toBe('colocation');
    let c = await flow.throughOffice(filed);
    expect(c.step?.key).toBe('mulai');
    c = await flow.act(c, 'kabid', 'start_work', { teamUserIds: [who.staf.id] });
    expect(c.step?.key).toBe('kunjungan');

    // The visit: not "held" before it is set, nor before its time; set again; held.
    await flow.act(c, 'staf', 'held', { notes: 'x' }, 409);
    const at = new Date(t.now().getTime() + 2 * HOUR).toISOString();
    c = await flow.act(c, 'staf', 'schedule', {
      at,
      place: 'Ruang server DKISP, lantai 2',
      staffAttendees: [who.staf.id],
      opdAttendees: 'Budi (Kasi TI Dinkes)',
    });
    await flow.act(
      c,
      'staf',
      'schedule',
      { at: new Date(t.now().getTime() - 2 * HOUR).toISOString(), place: 'x' },
      400,
    );
    await flow.act(c, 'staf', 'held', { notes: 'Server dipasang.' }, 409);
    c = await flow.act(c, 'staf', 'schedule', {
      at,
      place: 'Ruang server DKISP, lantai 3',
      staffAttendees: [who.staf.id, who.subkoor.id],
    });
    expect(c.step?.key).toBe('kunjungan');
    skipped += 3 * HOUR;
    c = await flow.act(c, 'staf', 'held', { notes: 'Server dipasang pada rak R3.' });
    expect(c.step?.key).toBe('pencatatan');

    // Addresses need the server first.
    await flow.act(c, 'staf', 'record_address_allocate', { poolId, count: 2 }, 409);
    // A colocated server without its rack is refused, naming what is missing.
    const incomplete = await flow.call('POST', `/api/cases/${c.id}/actions/record_server_record`, 'staf', {
      version: c.version,
      name: 'srv-dinkes-01',
      kind: 'dedicated',
      location: 'colocation',
    });
    expect(incomplete.status).toBe(400);
    c = await flow.act(c, 'staf', 'record_server_record', {
      name: 'srv-dinkes-01',
      kind: 'dedicated',
      location: 'colocation',
      os: 'Ubuntu 24.04',
      rack: 'R3',
      rackPosition: 'U12-U13',
      powerWatts: 450,
    });
    expect(c.step?.key).toBe('alamat');
    const serverId = c.facts.serverId as string;
    c = await flow.act(c, 'staf', 'record_address_allocate', { poolId, count: 2 });
    expect(c.step?.key).toBe('berita_acara');

    const server = await t.db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', serverId)
      .executeTakeFirstOrThrow();
    expect(server).toMatchObject({
      name: 'srv-dinkes-01',
      location: 'colocation',
      owner_opd_id: who.opd.opdId,
      rack: 'R3',
      rack_position: 'U12-U13',
      power_watts: 450,
      created_case_id: c.id,
    });
    expect(server.addresses).toEqual(['198.51.100.2', '198.51.100.3']);
    const detail = await flow.call('GET', `/api/registry/servers/${serverId}`, 'staf');
    expect((detail.body as { placement: unknown }).placement).toEqual({
      ownerOpdId: who.opd.opdId,
      rack: 'R3',
      rackPosition: 'U12-U13',
      powerWatts: 450,
      vcpu: null,
      memoryGb: null,
      diskGb: null,
      caseId: c.id,
    });
    expect(
      (detail.body as { allocations: { address: string; kind: string }[] }).allocations.map((a) => a.address),
    ).toEqual(['198.51.100.2', '198.51.100.3']);
    const history = await flow.call('GET', `/api/registry/servers/${serverId}/history`, 'staf');
    expect(JSON.stringify(history.body)).toContain('placement');

    c = await flow.act(c, 'staf', 'issue_berita_acara', {
      firstPartyName: 'Budi Santoso',
      firstPartyNip: '198001012005011001',
      condition: 'Baik, lengkap dengan kabel daya dan rel.',
      documentDate: flow.today(),
    });
    expect(c.step?.key).toBe('laporan');
    c = await flow.act(c, 'staf', 'report', { summary: 'Server OPD terpasang dan terhubung.' });
    c = await flow.act(c, 'kabid', 'close', {});
    expect(c.status).toBe('done');

    const docs = await flow.documents(c, 'opd');
    const ba = docs.find((d) => d.kind === 'berita_acara');
    expect(ba?.number).toBeTruthy();
    expect(docs.map((d) => d.kind).sort()).toEqual(['berita_acara', 'follow_up_letter']);
    expect((c.facts.issued as Record<string, { number: string }>).berita_acara?.number).toBe(ba?.number);

    const mine = await onlyItsOwn(c);
    const text = JSON.stringify(mine);
    expect(text).toContain('Ruang server DKISP, lantai 3');
    expect(text).not.toContain('Server dipasang pada rak R3.'); // the visit's internal notes
  });
});

describe('Layanan Cloud Server', () => {
  it('specification, virtual server recorded with its address, access handed over, report, done', async () => {
    const filed = await flow.file('cloud_server', {
      vcpu: '4',
      memoryGb: '8',
      diskGb: '100',
      operatingSystem: 'ubuntu_2404',
      technicalContact: 'Sari, 0813-1111-2222',
    });
    expect(filed.ref).toMatch(/^CLD-2026-\d{5}$/);
    let c = await flow.throughOffice(filed);
    c = await flow.act(c, 'kabid', 'start_work', { teamUserIds: [who.staf.id] });
    expect(c.step?.key).toBe('spesifikasi');
    await flow.act(c, 'staf', 'complete_spesifikasi', {}, 409);
    c = await flow.act(c, 'staf', 'save_spesifikasi', {
      vcpu: 4,
      memoryGb: 8,
      diskGb: 100,
      operatingSystem: 'Ubuntu Server 24.04 LTS',
      network: 'Port 22 dari VPN DKISP, 443 publik',
    });
    c = await flow.act(c, 'staf', 'complete_spesifikasi', {});
    expect(c.step?.key).toBe('pembuatan');
    // A virtual server without its size is refused.
    await flow.act(
      c,
      'staf',
      'record_server_record',
      { name: 'vm-x', kind: 'virtual', location: 'cloud' },
      400,
    );
    c = await flow.act(c, 'staf', 'record_server_record', {
      name: 'vm-disdik-01',
      kind: 'virtual',
      location: 'cloud',
      os: 'Ubuntu 24.04',
      vcpu: 4,
      memoryGb: 8,
      diskGb: 100,
    });
    c = await flow.act(c, 'staf', 'record_address_allocate', { poolId });
    expect(c.step?.key).toBe('serah_terima');
    const server = await t.db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', c.facts.serverId as string)
      .executeTakeFirstOrThrow();
    expect(server).toMatchObject({
      kind: 'virtual',
      vcpu: 4,
      memory_gb: 8,
      disk_gb: 100,
      owner_opd_id: who.opd.opdId,
    });
    expect(server.addresses).toHaveLength(1);
    expect(c.facts.addresses).toEqual(server.addresses);

    await flow.act(
      c,
      'staf',
      'hand_over',
      { recipientName: 'Sari', method: 'langsung', received: false },
      400,
    );
    c = await flow.act(c, 'staf', 'hand_over', {
      recipientName: 'Sari',
      method: 'langsung',
      accessNotes: `ssh admin@${server.addresses[0]}`,
      received: true,
    });
    // No credential is kept for a cloud server: nothing is revealed.
    expect(c.reveal).toBeUndefined();
    c = await flow.act(c, 'staf', 'report', { summary: 'Server virtual aktif.' });
    c = await flow.act(c, 'kabid', 'close', {});
    expect(c.status).toBe('done');
    await onlyItsOwn(c);
  });
});

describe('Layanan Konsultasi Aplikasi', () => {
  it('meeting with attendees, minutes and recommendation, the recommendation issued, done', async () => {
    const filed = await flow.file('konsultasi', {
      topic: 'integrasi',
      preferredDate: flow.today(),
      technicalContact: 'Rina, 0812-9999-0000',
    });
    expect(filed.ref).toMatch(/^KON-2026-\d{5}$/);
    let c = await flow.throughOffice(filed);
    expect(c.step?.key).toBe('jadwal');
    c = await flow.act(c, 'staf', 'schedule', {
      at: new Date(t.now().getTime() + HOUR).toISOString(),
      place: 'Ruang rapat Bidang Aplikasi Informatika',
      staffAttendees: [who.kabid.id, who.staf.id],
      opdAttendees: 'Rina (Kasubbag Program), Andi (Pranata Komputer)',
    });
    skipped += 2 * HOUR;
    c = await flow.act(c, 'staf', 'held', { notes: 'Dibahas integrasi data kepegawaian.' });
    expect(c.step?.key).toBe('rekomendasi');
    c = await flow.act(c, 'staf', 'save_rekomendasi', {
      findings: 'OPD ingin menghubungkan aplikasi kepegawaian dengan SIMPEG daerah.',
      recommendation: 'Gunakan API SIMPEG melalui gateway DKISP; jangan menyalin basis data.',
    });
    c = await flow.act(c, 'staf', 'complete_rekomendasi', {});
    expect(c.step?.key).toBe('penerbitan');
    // Issued by the Kabid only.
    await flow.act(
      c,
      'staf',
      'issue_recommendation',
      { addressedTo: 'Kepala BKPSDM', documentDate: flow.today() },
      403,
    );
    c = await flow.act(c, 'kabid', 'issue_recommendation', {
      addressedTo: 'Kepala BKPSDM',
      documentDate: flow.today(),
    });
    expect(c.step?.key).toBe('selesai');
    c = await flow.act(c, 'kabid', 'close', {});
    expect(c.status).toBe('done');
    const docs = await flow.documents(c, 'opd');
    expect(docs.map((d) => d.kind).sort()).toEqual(['follow_up_letter', 'recommendation']);
    const issued = (c.facts.issued as Record<string, { draft: { version: number } }>).recommendation;
    expect(issued?.draft.version).toBe(1);
    await onlyItsOwn(c);
  });
});

describe('the six services in the catalogue', () => {
  it('are listed for an OPD with their steps and standard times, and each SOP sheet prints', async () => {
    const list = await flow.call('GET', '/api/services', 'opd');
    expect(list.status).toBe(200);
    const services = list.body as {
      key: string;
      title: { id: string };
      steps: { key: string; standardTime: unknown }[];
    }[];
    expect(services[0]?.key).toBe('website');
    expect(services.map((s) => s.key).sort()).toEqual([
      'cloud_server',
      'colocation',
      'hosting',
      'hosting_subdomain',
      'konsultasi',
      'website',
    ]);
    const colocation = services.find((s) => s.key === 'colocation');
    expect(colocation?.title.id).toBe('Layanan Colocation Server');
    expect(colocation?.steps.find((s) => s.key === 'pengkajian')?.standardTime).toEqual({ minutes: 25 });
    for (const key of ['hosting_subdomain', 'hosting', 'colocation', 'cloud_server', 'konsultasi']) {
      const sheet = await flow.call('POST', `/api/sop-sheets/${key}`, 'admin');
      expect(sheet.status, `${key}: ${JSON.stringify(sheet.body)}`).toBe(201);
      expect((sheet.body as { kind: string }).kind).toBe('sop_sheet');
    }
  });
});
