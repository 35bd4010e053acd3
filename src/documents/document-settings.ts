import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service.ts';
import { requireAdmin, requireDkisp } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { oneLine } from './render/layout.ts';

/**
 * Fields a follow-up letter template may use, as `{{field}}`. Besides these, `{{fakta.<key>}}`
 * prints a fact of the request (what its SOP's request form declares, e.g. `{{fakta.requestedHostname}}`);
 * a fact the case does not have prints nothing.
 */
export const TEMPLATE_FIELDS = {
  opd: 'the requesting OPD',
  perihal: 'the subject of the request',
  nomor_surat: "the OPD's letter number",
  tanggal_surat: "the OPD's letter date",
  nomor_agenda: 'the agenda number',
  nomor_registrasi: "Loket's reference (WEB-…)",
  alasan: 'the reason given with a rejection or return',
  website: 'the website concerned (the fact websiteRef)',
  layanan: "the service (the title of the case's SOP)",
} as const;

/** `fakta.<key>`: a fact of the request, by its key. */
const FACT_FIELD = /^fakta\.([a-z][a-zA-Z0-9]{0,39})$/;
export type TemplateField = keyof typeof TEMPLATE_FIELDS;

const text = (max: number) => z.string().trim().min(1, 'required').max(max);
const template = z.string().trim().min(1, 'required').max(10_000);

export const documentSettingsSchema = z.strictObject({
  letterhead: z.strictObject({
    government: text(200),
    agency: text(200),
    address: text(300),
    contact: z.string().trim().max(300),
  }),
  signer: z.strictObject({
    name: text(200),
    title: text(200),
    nip: z.union([
      z.literal('').transform(() => null),
      z.null(),
      z.string().regex(/^\d{18}$/, 'NIP has 18 digits'),
    ]),
  }),
  place: text(100),
  numbering: z.strictObject({
    pattern: text(100).refine((p) => p.includes('{nomor'), 'must contain {nomor} or {nomor4}'),
    classification: z.string().trim().max(50),
    unit: z.string().trim().max(50),
  }),
  templates: z.strictObject({ approve: template, reject: template, return: template }),
});

export type DocumentSettings = z.infer<typeof documentSettingsSchema> & {
  /** The letterhead logo in the file store, set through its own upload. */
  logo: { key: string; mime: string } | null;
};

export const DEFAULT_DOCUMENT_SETTINGS: DocumentSettings = {
  letterhead: {
    government: 'PEMERINTAH KABUPATEN CONTOH',
    agency: 'DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN',
    address: 'Jalan Contoh No. 1, Kabupaten Contoh',
    contact: 'Telepon (0000) 000000 · dkisp@contoh-kab.go.id',
  },
  signer: {
    name: 'Kepala Dinas',
    title: 'Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian',
    nip: null,
  },
  place: 'Contoh',
  numbering: { pattern: '{klasifikasi}/{nomor4}/{unit}/{tahun}', classification: '500.11', unit: 'DKISP' },
  templates: {
    approve:
      'Menindaklanjuti surat {{opd}} Nomor {{nomor_surat}} tanggal {{tanggal_surat}} perihal {{perihal}}, dengan ini kami sampaikan bahwa permohonan tersebut disetujui dan dapat dilaksanakan.\n\nSelanjutnya Bidang Aplikasi Informatika akan berkoordinasi dengan Saudara untuk analisa kebutuhan informasi. Nomor registrasi permohonan: {{nomor_registrasi}}.\n\nDemikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.',
    reject:
      'Menindaklanjuti surat {{opd}} Nomor {{nomor_surat}} tanggal {{tanggal_surat}} perihal {{perihal}}, dengan ini kami sampaikan bahwa permohonan tersebut belum dapat dilaksanakan dengan pertimbangan sebagai berikut: {{alasan}}\n\nDemikian disampaikan, atas perhatiannya diucapkan terima kasih.',
    return:
      'Menindaklanjuti surat {{opd}} Nomor {{nomor_surat}} tanggal {{tanggal_surat}} perihal {{perihal}}, dengan ini kami kembalikan permohonan tersebut untuk dilengkapi: {{alasan}}\n\nPermohonan yang telah dilengkapi dapat dikirim kembali melalui Loket dengan nomor registrasi {{nomor_registrasi}}.\n\nDemikian disampaikan, atas perhatiannya diucapkan terima kasih.',
  },
  logo: null,
};

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The `{{fields}}` a template uses that do not exist. */
export function unknownTemplateFields(t: string): string[] {
  const unknown = new Set<string>();
  for (const m of t.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    // Own properties only: `in` would take "constructor" or "__proto__" from Object.prototype.
    if (!Object.hasOwn(TEMPLATE_FIELDS, name) && !FACT_FIELD.test(name)) unknown.add(name);
  }
  return [...unknown];
}

/** The value of a documented field; anything else (`constructor`, `__proto__`, unknown) is empty. */
function fieldValue(
  values: Partial<Record<TemplateField, string>>,
  facts: Record<string, unknown>,
  name: string,
): string {
  const fact = FACT_FIELD.exec(name);
  if (fact) {
    const key = fact[1] as string;
    const v = Object.hasOwn(facts, key) ? facts[key] : undefined;
    return typeof v === 'string' || typeof v === 'number'
      ? oneLine(String(v))
      : typeof v === 'boolean'
        ? v
          ? 'ya'
          : 'tidak'
        : '';
  }
  if (!Object.hasOwn(TEMPLATE_FIELDS, name) || !Object.hasOwn(values, name)) return '';
  const v = values[name as TemplateField];
  // A value sits inside a sentence: its line breaks must not start a paragraph of their own.
  return typeof v === 'string' ? oneLine(v) : '';
}

/** Fills a template; paragraphs are separated by blank lines. */
export function fillTemplate(
  t: string,
  values: Partial<Record<TemplateField, string>>,
  facts: Record<string, unknown> = {},
): string[] {
  return t
    .replace(PLACEHOLDER, (_, name: string) => fieldValue(values, facts, name))
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

function checkTemplates(s: z.infer<typeof documentSettingsSchema>): void {
  const fields = (['approve', 'reject', 'return'] as const).flatMap((k) =>
    unknownTemplateFields(s.templates[k]).map((f) => ({
      path: `templates.${k}`,
      message: `unknown field {{${f}}}`,
    })),
  );
  if (fields.length > 0) {
    throw new AppError('TEMPLATE_UNKNOWN_FIELDS', 'A template uses fields that do not exist', {
      details: { fields, known: Object.keys(TEMPLATE_FIELDS) },
    });
  }
}

export async function readDocumentSettings(db: Kysely<Database>): Promise<DocumentSettings> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'documents')
    .executeTakeFirst();
  return row
    ? { ...DEFAULT_DOCUMENT_SETTINGS, ...(row.value as Partial<DocumentSettings>) }
    : DEFAULT_DOCUMENT_SETTINGS;
}

async function writeDocumentSettings(
  trx: Kysely<Database>,
  value: DocumentSettings,
  ctx: Ctx,
): Promise<void> {
  await trx
    .insertInto('settings')
    .values({ key: 'documents', value: JSON.stringify(value), updated_by: ctx.actor.id })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: JSON.stringify(value), updated_at: new Date(), updated_by: ctx.actor.id }),
    )
    .execute();
}

export async function getDocumentSettings(db: Kysely<Database>, ctx: Ctx): Promise<DocumentSettings> {
  requireDkisp(ctx.actor);
  return readDocumentSettings(db);
}

export async function saveDocumentSettings(
  trx: Kysely<Database>,
  input: z.infer<typeof documentSettingsSchema>,
  ctx: Ctx,
): Promise<DocumentSettings> {
  requireAdmin(ctx.actor);
  checkTemplates(input);
  const before = await readDocumentSettings(trx);
  const after = { ...input, logo: before.logo };
  await writeDocumentSettings(trx, after, ctx);
  await recordAudit(trx, ctx, {
    action: 'documents.settings',
    entityType: 'settings',
    entityId: 'documents',
    details: { before, after },
  });
  return after;
}

export async function setLetterheadLogo(
  trx: Kysely<Database>,
  logo: { key: string; mime: string } | null,
  ctx: Ctx,
): Promise<{ previous: { key: string; mime: string } | null; settings: DocumentSettings }> {
  requireAdmin(ctx.actor);
  const before = await readDocumentSettings(trx);
  const after = { ...before, logo };
  await writeDocumentSettings(trx, after, ctx);
  await recordAudit(trx, ctx, {
    action: 'documents.logo',
    entityType: 'settings',
    entityId: 'documents',
    details: { logo: logo?.mime ?? null },
  });
  return { previous: before.logo, settings: after };
}

/** A template tried out by the administrator: the letter's paragraphs with sample values, and unknown fields. */
export function previewTemplate(t: string, ctx: Ctx): { paragraphs: string[]; unknownFields: string[] } {
  requireAdmin(ctx.actor);
  return {
    unknownFields: unknownTemplateFields(t),
    paragraphs: fillTemplate(
      t,
      {
        opd: 'Dinas Kesehatan',
        perihal: 'Permohonan pembuatan website',
        nomor_surat: '027/123/DINKES/2026',
        tanggal_surat: '2 November 2026',
        nomor_agenda: '0012/BU/2026',
        nomor_registrasi: 'WEB-2026-00012',
        alasan: 'Struktur menu belum dilengkapi.',
        website: 'dinkes.contoh-kab.go.id',
        layanan: 'Layanan Pembuatan/Update Website',
      },
      { requestedHostname: 'dinkes.contoh-kab.go.id', kind: 'new' },
    ),
  };
}
