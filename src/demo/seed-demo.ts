import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password.ts';
import type { CaseDetail } from '../cases/case.schemas.ts';
import { type CaseDeps, localDate } from '../cases/case-deps.ts';
import { createCase } from '../cases/create-case.ts';
import { performAction } from '../cases/perform-action.ts';
import type { Database, NewUser, Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { createPool } from '../registry/ip-pool.service.ts';
import { createServer } from '../registry/server.service.ts';
import { createWebsite } from '../registry/website.service.ts';
import { createZone } from '../registry/zone.service.ts';
import type { Ctx } from '../shared/context.ts';
import { onePagePdf, storedZip } from '../shared/tiny-files.ts';
import { asUpload } from './demo-files.ts';

const DEMO_ZONE = 'example-kab.go.id';

/** The demo's password for every demo account. */
export const DEMO_PASSWORD = 'Demo-Loket-2026!';

const OPDS = [
  ['DINKES', 'Dinas Kesehatan'],
  ['DISDIK', 'Dinas Pendidikan dan Kebudayaan'],
  ['DPMPTSP', 'Dinas Penanaman Modal dan PTSP'],
  ['BAPPEDA', 'Badan Perencanaan Pembangunan Daerah'],
] as const;

const STAFF: [string, string, Role, string][] = [
  ['umum', 'Rina Wulandari', 'umum', 'SEKRETARIAT'],
  ['kepala', 'Drs. Hendra Gunawan, M.Si.', 'kepala', 'PIMPINAN'],
  ['kabid', 'Ir. Sri Rahayu, M.T.', 'kabid', 'APTIKA'],
  ['subkoor', 'Agus Salim, S.Kom.', 'subkoor', 'APTIKA'],
  ['staf', 'Dewi Lestari, S.T.', 'staf', 'APTIKA'],
];

type People = Record<string, Ctx>;

async function ensureUsers(db: Kysely<Database>): Promise<People> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const people: People = {};
  /** The demo user, created unless it exists; acting as whatever it really is. */
  const ensure = async (v: NewUser): Promise<void> => {
    await db
      .insertInto('users')
      .values(v)
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
    const u = await db
      .selectFrom('users')
      .select(['id', 'username', 'roles', 'opd_id'])
      .where('username', '=', v.username)
      .executeTakeFirstOrThrow();
    people[u.username] = {
      actor: { id: u.id, username: u.username, roles: u.roles, opdId: u.opd_id },
      meta: { ip: null, userAgent: 'seed-demo' },
    };
  };
  for (const [code, name] of OPDS) {
    const opd =
      (await db.selectFrom('opds').selectAll().where('code', '=', code).executeTakeFirst()) ??
      (await db
        .insertInto('opds')
        .values({ code, name, active: true })
        .returningAll()
        .executeTakeFirstOrThrow());
    await ensure({
      username: `opd.${code.toLowerCase()}`,
      full_name: `Operator ${name}`,
      roles: ['opd'],
      opd_id: opd.id,
      password_hash: hash,
    });
  }
  for (const [username, fullName, role, unitCode] of STAFF) {
    const unit = await db.selectFrom('units').select('id').where('code', '=', unitCode).executeTakeFirst();
    await ensure({
      username,
      full_name: fullName,
      roles: [role],
      unit_id: unit?.id ?? null,
      password_hash: hash,
    });
  }
  return people;
}

/**
 * The registry the demo cases work with: the regency's zone, a web, a database and a name server,
 * the NOC's public block, and one running website per OPD.
 */
async function seedRegistry(
  db: Kysely<Database>,
  ctx: Ctx,
  deps: CaseDeps,
): Promise<{ webServerId: string; poolId: string; websites: Record<string, string> }> {
  return db.transaction().execute(async (trx) => {
    await createZone(trx, { name: DEMO_ZONE, notes: 'Zona utama pemerintah kabupaten' }, ctx);
    const web = await createServer(
      trx,
      {
        name: 'web-01',
        kind: 'shared',
        location: 'noc',
        os: 'Debian 12',
        addresses: [],
        roles: ['web'],
        status: 'active',
      },
      ctx,
    );
    await createServer(
      trx,
      {
        name: 'db-01',
        kind: 'dedicated',
        location: 'noc',
        os: 'Debian 12',
        addresses: [],
        roles: ['database'],
        status: 'active',
      },
      ctx,
    );
    await createServer(
      trx,
      {
        name: 'ns1-noc',
        kind: 'virtual',
        location: 'noc',
        os: 'Debian 12',
        addresses: [],
        roles: ['dns'],
        status: 'active',
      },
      ctx,
    );
    const pool = await createPool(
      trx,
      { name: 'IP publik NOC', cidr: '203.0.113.0/24', gateway: '203.0.113.1', reserved: ['203.0.113.2'] },
      ctx,
    );
    const websites: Record<string, string> = {};
    for (const [i, [code, name]] of OPDS.entries()) {
      const opd = await trx
        .selectFrom('opds')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      const w = await createWebsite(
        trx,
        {
          opdId: opd.id,
          status: 'active',
          purpose: `Website resmi ${name}`,
          hostname: `${code.toLowerCase()}.example-kab.go.id`,
          serverId: web.id,
          ipAddress: `203.0.113.${10 + i}`,
          cms: 'WordPress',
          cmsVersion: '6.7',
          documentRoot: `/var/www/${code.toLowerCase()}`,
          contactName: `Operator ${name}`,
          reason: 'Data awal demo',
        },
        ctx,
        deps.registry,
      );
      websites[code] = w.id;
    }
    return { webServerId: web.id, poolId: pool.id, websites };
  });
}

/** Where each demo case stops: after this many of the scripted actions. */
const STOPS: [string, string, number][] = [
  ['DINKES', 'Pembuatan website Puskesmas Sehat', 0],
  ['DISDIK', 'Pembaruan website Dinas Pendidikan', 1],
  ['DPMPTSP', 'Website layanan perizinan online', 2],
  ['BAPPEDA', 'Portal data perencanaan daerah', 3],
  ['DINKES', 'Website informasi vaksinasi', 5],
  ['DISDIK', 'Website PPDB kabupaten', 6],
  ['DPMPTSP', 'Website investasi daerah', 7],
  ['BAPPEDA', 'Website musrenbang', 8],
  ['DINKES', 'Website rumah sakit daerah', 10],
  ['DISDIK', 'Website perpustakaan daerah', 11],
  ['DPMPTSP', 'Website pengaduan perizinan', 12],
  ['BAPPEDA', 'Website statistik sektoral', 13],
  ['DINKES', 'Website gizi masyarakat', 14],
];

/**
 * Fills a fresh installation with demo data: four OPDs with an operator each, one DKISP user per
 * role (password DEMO_PASSWORD), and cases standing at every step of the website SOP, plus a
 * rejected one and one returned for revision, and a request each of two related services (a
 * consultation with its meeting set, a colocation under review). Refuses to run twice.
 */
export async function seedDemo(
  db: Kysely<Database>,
  deps: CaseDeps,
  tmpDir: string,
): Promise<{ cases: number; users: string[] }> {
  if (
    (await db.selectFrom('cases').select('id').limit(1).executeTakeFirst()) ||
    (await db.selectFrom('dns_zones').select('id').where('name', '=', DEMO_ZONE).executeTakeFirst())
  ) {
    throw new AppError(
      'CONFLICT',
      'Data demo hanya untuk instalasi kosong; di sini sudah ada permohonan atau data demo. / ' +
        'Demo data goes only into an empty installation; this one has cases or demo data already.',
    );
  }
  const people = await ensureUsers(db);
  const aptika = await db
    .selectFrom('units')
    .select('id')
    .where('code', '=', 'APTIKA')
    .executeTakeFirstOrThrow();
  const p = (name: string) => people[name] as Ctx;
  const today = localDate(deps.clock.now(), deps.timeZone);
  const registry = await seedRegistry(db, p('kabid'), deps);

  /** Files an OPD's request (its letter attached); answers how to act on it. */
  const file = async (opdCode: string, subject: string, stop: number, body: Record<string, unknown>) => {
    const opd = p(`opd.${opdCode.toLowerCase()}`);
    const letter = asUpload(
      tmpDir,
      'letter',
      `Surat permohonan ${opdCode}.pdf`,
      onePagePdf([`Surat Permohonan - ${subject}`, 'Kepada Yth. Kepala DKISP', 'Contoh data demo Loket.']),
      'pdf',
      'application/pdf',
    );
    let c: CaseDetail = await db.transaction().execute((trx) =>
      createCase(
        trx,
        {
          subject,
          letterNumber: `027/${100 + stop}/${opdCode}/2026`,
          letterDate: today,
          description: `${subject}. Data demo.`,
          ...body,
        },
        [letter],
        opd,
        deps,
      ),
    );
    const act = async (
      who: string,
      action: string,
      body: Record<string, unknown> = {},
      files: ReturnType<typeof asUpload>[] = [],
    ) => {
      c = await db
        .transaction()
        .execute((trx) =>
          performAction(
            trx,
            { caseId: c.id, action, body: { version: c.version, ...body }, files },
            p(who),
            deps,
          ),
        );
    };
    return act;
  };

  /** The office pattern every DKISP service starts with: letter, agenda, disposition, review, decision, letter. */
  const office = (
    act: Awaited<ReturnType<typeof file>>,
    opdCode: string,
    ending?: 'reject' | 'return',
  ): (() => Promise<void>)[] => [
    () => act(`opd.${opdCode.toLowerCase()}`, 'submit'),
    () =>
      act('umum', 'register', {
        receivedAt: deps.clock.now().toISOString(),
        urgency: 'biasa',
        addressee: 'Kepala DKISP',
        scanConfirmed: true,
      }),
    () =>
      act('kepala', 'dispose', {
        toUnitId: aptika.id,
        instruction: 'tindak_lanjuti',
        note: 'Mohon dikaji.',
      }),
    () => act('kabid', 'dispose_on', { toUserId: p('subkoor').actor.id, instruction: 'pelajari' }),
    () =>
      act('subkoor', 'review', {
        findings: 'Permohonan lengkap dan layak.',
        recommendation: ending ?? 'approve',
      }),
    () =>
      act(
        'kabid',
        'decide',
        ending
          ? {
              decision: ending,
              reason: ending === 'reject' ? 'Sudah tersedia pada portal induk.' : 'Lengkapi rincian menu.',
            }
          : { decision: 'approve' },
      ),
    () => act('umum', 'send_letter', { letterDate: today }),
  ];

  const run = async (opdCode: string, subject: string, stop: number, ending?: 'reject' | 'return') => {
    const act = await file(opdCode, subject, stop, {
      kind: stop % 2 ? 'update' : 'new',
      ...(stop % 2
        ? { websiteId: registry.websites[opdCode] }
        : { requestedHostname: `demo${stop}-${opdCode.toLowerCase()}.example-kab.go.id` }),
    });
    const kak = {
      goals: 'Menyediakan informasi publik yang mutakhir.',
      scope: 'Profil, berita, layanan, kontak.',
      menuStructure: 'Beranda; Profil; Berita; Layanan; Kontak',
      features: 'CMS, pencarian, galeri',
      targetUsers: 'Masyarakat umum',
      schedule: '2 minggu',
      team: 'Bidang Aplikasi Informatika',
    };
    const script: (() => Promise<void>)[] = [
      ...office(act, opdCode, ending),
      () =>
        act('kabid', 'start_work', {
          websiteExists: stop % 2 === 1,
          teamUserIds: [p('staf').actor.id, p('subkoor').actor.id],
        }),
      () => act('staf', 'save_kak', kak),
      () => act('staf', 'complete_analysis'),
      () =>
        act('staf', 'complete_build', { template: 'Template Pemda', cms: 'WordPress 6' }, [
          asUpload(
            tmpDir,
            'source',
            'website.zip',
            storedZip({ 'index.html': `<h1>${subject}</h1>` }),
            'zip',
            'application/zip',
          ),
        ]),
      () =>
        act('staf', 'record_installation', {
          serverId: registry.webServerId,
          ...(stop % 2 ? {} : { poolId: registry.poolId }),
          networkConfig: 'VLAN 20, NAT 1:1',
          siteAnswers: true,
        }),
      () => act('subkoor', 'report', { summary: 'Website telah terpasang dan dapat diakses.' }),
      () => act('kabid', 'close', { notes: 'Pekerjaan selesai.' }),
    ];
    const steps = ending ? 7 : stop;
    for (const step of script.slice(0, Math.min(steps, script.length))) await step();
  };

  for (const [opd, subject, stop] of STOPS) await run(opd, subject, stop);
  await run('DPMPTSP', 'Website yang sudah ada di portal induk', 0, 'reject');
  await run('BAPPEDA', 'Website e-monev perlu revisi', 0, 'return');

  // Two requests of related services: a consultation whose meeting is set (at its schedule step),
  // and a colocation under review by the division.
  const consult = await file('DISDIK', 'Konsultasi integrasi data peserta didik', 20, {
    service: 'konsultasi',
    topic: 'integrasi',
    preferredDate: today,
    technicalContact: 'Andi Pratama, 0812-3456-7001',
  });
  for (const step of office(consult, 'DISDIK')) await step();
  await consult('staf', 'schedule', {
    at: new Date(deps.clock.now().getTime() + 24 * 3600_000).toISOString(),
    place: 'Ruang rapat Bidang Aplikasi Informatika',
    staffAttendees: [p('kabid').actor.id, p('staf').actor.id],
    opdAttendees: 'Andi Pratama (Pranata Komputer), Sari (Kasubbag Program)',
  });
  const colocation = await file('DINKES', 'Penempatan server SIMPUS di ruang server DKISP', 21, {
    service: 'colocation',
    serverDescription: 'Dell PowerEdge R650, S/N 7XK2Q93',
    rackUnits: 2,
    powerWatts: 450,
    addressesNeeded: 2,
    technicalContact: 'Budi Santoso, 0812-3456-7002',
  });
  for (const step of office(colocation, 'DINKES').slice(0, 4)) await step();
  return { cases: STOPS.length + 4, users: Object.keys(people) };
}
