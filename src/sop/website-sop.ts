import { z } from 'zod';
import type { ActionDef, SopDef, StepDef } from './types.ts';

// "Layanan Pembuatan/Update Website", read from shared/seed (see docs/sop.md). Version 1.
// Steps, standard times and inputs/outputs are the seed's, to the letter.

const APTIKA = ['kabid', 'subkoor', 'staf'] as const;

export const WEBSITE_STEPS = [
  {
    key: 'permohonan',
    no: 1,
    title: { id: 'Surat permohonan pembuatan/update website dari OPD', en: 'Request letter from the OPD' },
    lane: 'opd',
    roles: ['opd'],
    standardTime: { minutes: 2 },
    inputs: ['Surat permohonan OPD'],
    outputs: ['Surat'],
  },
  {
    key: 'registrasi',
    no: 2,
    title: {
      id: 'Scanning surat, mengagendakan surat, melengkapi lembar disposisi',
      en: 'Scan and register the letter, fill in the disposition sheet',
    },
    lane: 'umum',
    roles: ['umum'],
    standardTime: { minutes: 3 },
    inputs: ['Surat', 'Buku agenda', 'Lembar disposisi'],
    outputs: ['Dokumen elektronik', 'Surat dengan lembar disposisi'],
  },
  {
    key: 'disposisi',
    no: 3,
    title: {
      id: 'Disposisi Kepala DKISP ke Bidang Aplikasi Informatika',
      en: 'The head disposes it to the application division',
    },
    lane: 'kepala',
    roles: ['kepala'],
    standardTime: { minutes: 2 },
    inputs: ['Surat dan lembar disposisi'],
    outputs: ['Surat permohonan terdisposisi'],
  },
  {
    key: 'pengkajian',
    no: 4,
    title: {
      id: 'Kabid Aplikasi Informatika melakukan pengkajian bersama Sub Koordinator',
      en: 'The division head reviews it with a sub-coordinator',
    },
    lane: 'aptika',
    roles: ['kabid', 'subkoor'],
    standardTime: { minutes: 25 },
    inputs: ['Surat permohonan terdisposisi', 'Website yang telah disiapkan'],
    outputs: ['Data untuk tindak lanjut'],
  },
  {
    key: 'keputusan',
    no: 5,
    title: {
      id: 'Permintaan pembuatan/update website disetujui/dapat dilaksanakan atau tidak',
      en: 'Decision: approved / feasible or not',
    },
    lane: 'aptika',
    roles: ['kabid', 'umum'],
    standardTime: { minutes: 30 },
    inputs: ['Data untuk tindak lanjut'],
    outputs: ['Data untuk tindak lanjut', 'Surat TL'],
  },
  {
    key: 'mulai',
    no: 6,
    title: { id: 'Pembuatan/update website', en: 'Start of the creation/update work' },
    lane: 'aptika',
    roles: ['kabid'],
    standardTime: { minutes: 15 },
    inputs: ['Data untuk tindak lanjut'],
    outputs: ['Data untuk tindak lanjut'],
  },
  {
    key: 'analisis',
    no: 7,
    title: { id: 'Analisa kebutuhan informasi', en: 'Analysis of information needs' },
    lane: 'aptika',
    roles: APTIKA,
    standardTime: { workingDays: 3 },
    inputs: ['Data untuk tindak lanjut', 'Data kebutuhan informasi'],
    outputs: ['Data untuk tindak lanjut', 'KAK'],
  },
  {
    key: 'pembuatan',
    no: 8,
    title: { id: 'Pembuatan website', en: 'Building the website' },
    lane: 'aptika',
    roles: APTIKA,
    standardTime: { workingDays: 7 },
    inputs: ['Data untuk tindak lanjut', 'Template', 'CMS', 'KAK'],
    outputs: ['Source code website'],
  },
  {
    key: 'instalasi',
    no: 9,
    title: { id: 'Instalasi website pada server', en: 'Installing the website on a server' },
    lane: 'aptika',
    roles: APTIKA,
    standardTime: { minutes: 90 },
    inputs: ['Source code website', 'IP publik', 'Sub domain', 'Konfigurasi jaringan'],
    outputs: ['Website'],
  },
  {
    key: 'laporan',
    no: 10,
    title: { id: 'Melaporkan pelaksanaan pembuatan/update website', en: 'Reporting the work done' },
    lane: 'aptika',
    roles: APTIKA,
    standardTime: { minutes: 2 },
    inputs: ['Website', 'Laporan dan dokumentasi'],
    outputs: ['Laporan dan dokumentasi'],
  },
  {
    key: 'selesai',
    no: 11,
    title: { id: 'Pekerjaan selesai', en: 'Work completed' },
    lane: 'aptika',
    roles: ['kabid'],
    standardTime: { minutes: 2 },
    inputs: ['Laporan dan dokumentasi'],
    outputs: ['Laporan dan dokumentasi'],
  },
] as const satisfies readonly StepDef[];

export type WebsiteStepKey = (typeof WEBSITE_STEPS)[number]['key'];

const text = (max: number) => z.string().trim().min(1, 'required').max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

export const INSTRUCTIONS = [
  'tindak_lanjuti',
  'pelajari',
  'koordinasikan',
  'siapkan_jawaban',
  'untuk_diketahui',
  'proses_sesuai_ketentuan',
] as const;
export const URGENCIES = ['biasa', 'penting', 'segera', 'sangat_segera'] as const;

const noPayload = z.strictObject({});
const notesOnly = z.strictObject({ notes: optionalText(4000) });

const actions: ActionDef[] = [
  {
    key: 'submit',
    step: 'permohonan',
    title: { id: 'Kirim permohonan', en: 'Submit the request' },
    roles: ['opd'],
    statuses: ['draft'],
    input: noPayload,
    effect: () => ({ kind: 'advance', to: 'registrasi' }),
  },
  {
    key: 'resubmit',
    step: 'keputusan',
    title: { id: 'Kirim ulang setelah revisi', en: 'Resubmit after revision' },
    roles: ['opd'],
    statuses: ['revision'],
    input: z.strictObject({ changes: text(4000), description: optionalText(10_000) }),
    files: [{ field: 'letter', kinds: ['pdf', 'jpeg', 'png'], required: false, max: 1, purpose: 'letter' }],
    effect: () => ({ kind: 'advance', to: 'pengkajian' }),
  },
  {
    key: 'register',
    step: 'registrasi',
    title: {
      id: 'Agendakan surat dan isi lembar disposisi',
      en: 'Register the letter and fill in the disposition sheet',
    },
    roles: ['umum'],
    input: z.strictObject({
      receivedAt: z.iso.datetime({ offset: true }),
      urgency: z.enum(URGENCIES),
      addressee: text(200).default('Kepala DKISP'),
      scanConfirmed: z.literal(true, 'confirm that the scan is the electronic document'),
      notes: optionalText(4000),
    }),
    effect: () => ({ kind: 'advance', to: 'disposisi' }),
  },
  {
    key: 'dispose',
    step: 'disposisi',
    title: { id: 'Disposisikan ke Bidang Aplikasi Informatika', en: 'Dispose to the application division' },
    roles: ['kepala'],
    unitField: 'toUnitId',
    input: z.strictObject({
      toUnitId: z.uuid(),
      instruction: z.enum(INSTRUCTIONS),
      note: optionalText(2000),
      dueDate: z.iso.date().optional(),
    }),
    effect: () => ({ kind: 'advance', to: 'pengkajian' }),
  },
  {
    key: 'dispose_on',
    step: 'pengkajian',
    title: { id: 'Disposisikan ke Sub Koordinator / staf', en: 'Dispose on to a sub-coordinator / staff' },
    roles: ['kabid'],
    input: z.strictObject({
      toUserId: z.uuid(),
      instruction: z.enum(INSTRUCTIONS),
      note: optionalText(2000),
      dueDate: z.iso.date().optional(),
    }),
    effect: () => ({ kind: 'stay' }),
  },
  {
    key: 'review',
    step: 'pengkajian',
    title: { id: 'Selesaikan pengkajian', en: 'Complete the review' },
    roles: ['kabid', 'subkoor'],
    input: z.strictObject({
      findings: text(10_000),
      recommendation: z.enum(['approve', 'reject', 'return']),
    }),
    effect: () => ({ kind: 'advance', to: 'keputusan' }),
  },
  {
    key: 'decide',
    step: 'keputusan',
    title: { id: 'Putuskan permohonan', en: 'Decide the request' },
    roles: ['kabid'],
    input: z
      .strictObject({ decision: z.enum(['approve', 'reject', 'return']), reason: optionalText(4000) })
      .refine((v) => v.decision === 'approve' || (v.reason?.length ?? 0) > 0, {
        path: ['reason'],
        message: 'a reason is required to reject or return',
      }),
    guard: (s) => (s.pendingDecision ? 'the decision is taken; the follow-up letter is awaited' : null),
    effect: () => ({ kind: 'stay' }),
  },
  {
    key: 'send_letter',
    step: 'keputusan',
    title: { id: 'Kirim Surat Tindak Lanjut ke OPD', en: 'Send the follow-up letter to the OPD' },
    roles: ['umum'],
    input: z.strictObject({
      letterDate: z.iso.date(),
      notes: optionalText(2000),
    }),
    guard: (s) => (s.pendingDecision ? null : 'no decision has been taken yet'),
    effect: (s) =>
      s.pendingDecision === 'approve'
        ? { kind: 'advance', to: 'mulai' }
        : s.pendingDecision === 'reject'
          ? { kind: 'finish', status: 'rejected' }
          : { kind: 'pause' },
  },
  {
    key: 'start_work',
    step: 'mulai',
    title: { id: 'Mulai pekerjaan', en: 'Start the work' },
    roles: ['kabid'],
    input: z.strictObject({
      websiteExists: z.boolean(),
      /** For an update: the OPD's website in the registry (defaults to the one the request names). */
      websiteId: z.uuid().optional(),
      teamUserIds: z.array(z.uuid()).min(1, 'assign at least one person').max(20),
      notes: optionalText(4000),
    }),
    effect: () => ({ kind: 'advance', to: 'analisis' }),
  },
  {
    key: 'save_kak',
    step: 'analisis',
    title: { id: 'Simpan KAK (versi baru)', en: 'Save the KAK (new version)' },
    roles: APTIKA,
    input: z.strictObject({
      goals: text(10_000),
      scope: text(10_000),
      menuStructure: text(10_000),
      features: text(10_000),
      targetUsers: text(4000),
      schedule: text(4000),
      team: text(4000),
    }),
    effect: () => ({ kind: 'stay' }),
  },
  {
    key: 'complete_analysis',
    step: 'analisis',
    title: { id: 'Selesaikan analisa kebutuhan', en: 'Complete the analysis' },
    roles: APTIKA,
    input: notesOnly,
    guard: (s) => (s.kakVersions > 0 ? null : 'save a KAK first'),
    effect: () => ({ kind: 'advance', to: 'pembuatan' }),
  },
  {
    key: 'complete_build',
    step: 'pembuatan',
    title: { id: 'Serahkan hasil pembuatan', en: 'Hand over the build' },
    roles: APTIKA,
    input: z.strictObject({ template: text(200), cms: text(200), notes: optionalText(4000) }),
    files: [{ field: 'source', kinds: ['zip', 'targz'], required: true, max: 1, purpose: 'source' }],
    effect: () => ({ kind: 'advance', to: 'instalasi' }),
  },
  {
    key: 'record_installation',
    step: 'instalasi',
    title: { id: 'Catat instalasi', en: 'Record the installation' },
    roles: APTIKA,
    input: z.strictObject({
      /** The registry's server the website now runs on. */
      serverId: z.uuid(),
      /** The address: picked, or (leave it out) the next free one of `poolId`. */
      ipAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
      poolId: z.uuid().optional(),
      /** The full host name under a managed zone; defaults to the one already in the registry. */
      hostname: z.string().max(253).optional(),
      documentRoot: optionalText(4095),
      networkConfig: text(4000),
      siteAnswers: z.literal(true, 'the site must answer before the step can be completed'),
      notes: optionalText(4000),
    }),
    effect: () => ({ kind: 'advance', to: 'laporan' }),
  },
  {
    key: 'report',
    step: 'laporan',
    title: { id: 'Laporkan pelaksanaan', en: 'Report the work' },
    roles: APTIKA,
    input: z.strictObject({ summary: text(10_000) }),
    files: [
      { field: 'documentation', kinds: ['pdf', 'jpeg', 'png'], required: false, max: 10, purpose: 'report' },
    ],
    effect: () => ({ kind: 'advance', to: 'selesai' }),
  },
  {
    key: 'close',
    step: 'selesai',
    title: { id: 'Tutup permohonan (pekerjaan selesai)', en: 'Close the request (work completed)' },
    roles: ['kabid'],
    input: notesOnly,
    effect: () => ({ kind: 'finish', status: 'done' }),
  },
];

export const WEBSITE_SOP_V1 = {
  key: 'website',
  version: 1,
  title: { id: 'Layanan Pembuatan/Update Website', en: 'Website creation/update service' },
  steps: WEBSITE_STEPS,
  actions,
  // The units the first migration creates; the review and the work belong to the application division.
  laneUnits: { umum: ['SEKRETARIAT'], kepala: ['PIMPINAN'], aptika: ['APTIKA'] },
  related: [
    'SOP Layanan Colocation Server',
    'SOP Layanan Hosting dan Subdomain',
    'SOP Layanan Konsultasi Aplikasi',
    'Layanan Hosting',
    'Layanan Data Cloud Server',
  ],
  equipment: ['Komputer dan jaringan internet', 'Server Apache', 'Server database', 'Server NS', 'IP publik'],
  warnings: [
    'Setiap website membutuhkan alamat spesifik berupa Internet Protokol (IP) dan sub domain. Website dapat berjalan pada server tersendiri maupun dalam gabungan server atau beberapa website berjalan pada virtual server. Website yang beroperasi di lingkungan NOC membutuhkan bandwidth, IP publik, dan sub domain.',
  ],
  records: ['Data konfigurasi layanan website', 'Manajemen backup', 'Pemeliharaan jaringan internet'],
} as const satisfies SopDef;
