import { z } from 'zod';
import { ROLES } from '../db/schema.ts';
import { pageQuery } from '../shared/pagination.ts';

const text = (max: number) => z.string().trim().min(1, 'required').max(max);

/** The request as the OPD files it (text fields; the signed letter comes as a file). */
export const caseFields = {
  kind: z.enum(['new', 'update']),
  subject: text(500),
  letterNumber: text(100),
  letterDate: z.iso.date('use YYYY-MM-DD'),
  description: text(20_000),
  /** The OPD's own website an update request is about (from the registry). */
  websiteId: z
    .union([z.uuid('pick one of your websites'), z.literal('')])
    .transform((v) => (v ? v : undefined))
    .optional(),
  /** For a new website: the address the OPD would like, e.g. dinkes.example-kab.go.id (checked, not yet held). */
  requestedHostname: z
    .string()
    .trim()
    .max(253)
    .transform((v) => (v ? v : undefined))
    .optional(),
};

export const createCaseBody = z.strictObject(caseFields).refine((v) => v.kind === 'new' || v.websiteId, {
  path: ['websiteId'],
  message: 'pick the website to update',
});

export const updateCaseBody = z.strictObject({
  version: z.coerce.number().int().min(1),
  kind: caseFields.kind.optional(),
  subject: caseFields.subject.optional(),
  letterNumber: caseFields.letterNumber.optional(),
  letterDate: caseFields.letterDate.optional(),
  description: caseFields.description.optional(),
  websiteId: caseFields.websiteId,
  /** '' or null clears a wish given earlier. */
  requestedHostname: z
    .string()
    .trim()
    .max(253)
    .nullable()
    .transform((v) => (v ? v : null))
    .optional(),
});

/** Lists count up to this many matches and page no deeper (case.repository.ts's CASE_COUNT_CAP). */
export const LIST_DEPTH = 1000;

export const listCasesQuery = z
  .strictObject({
    view: z.enum(['inbox', 'all', 'overdue']).default('inbox'),
    status: z.enum(['draft', 'active', 'revision', 'rejected', 'done']).optional(),
    step: z.string().max(50).optional(),
    opdId: z.uuid().optional(),
    // A text search needs three characters: shorter text has no trigram for the index to look up.
    q: z
      .string()
      .trim()
      .max(200)
      .refine((v) => v.length === 0 || v.length >= 3, 'type at least 3 characters')
      .optional(),
    ...pageQuery,
  })
  .refine((v) => (v.page - 1) * v.pageSize < LIST_DEPTH, {
    path: ['page'],
    message: `only the first ${LIST_DEPTH} matches are paged: narrow the filter`,
  });

export type CreateCaseInput = z.infer<typeof createCaseBody>;
export type UpdateCaseInput = z.infer<typeof updateCaseBody>;
export type ListCasesQuery = z.infer<typeof listCasesQuery>;

const title = z.object({ id: z.string(), en: z.string() });
const role = z.enum(ROLES);
const orgRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
/**
 * A person. DKISP staff get the account (id, username, name); an OPD gets DKISP staff by position
 * only — `fullName` is then "Bagian Umum", "Kepala DKISP", …, with `role` — and its own colleagues
 * by name (docs/adr/0009-what-the-opd-sees.md).
 */
const personRef = z.object({
  id: z.string().optional(),
  username: z.string().optional(),
  fullName: z.string(),
  role: role.optional(),
});
const standardTime = z.union([z.object({ minutes: z.number() }), z.object({ workingDays: z.number() })]);

export const stepDefOut = z.object({
  key: z.string(),
  no: z.number(),
  title,
  lane: z.string(),
  roles: z.array(role),
  standardTime,
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
});

export const serviceOut = z.object({
  key: z.string(),
  version: z.number(),
  title,
  steps: z.array(stepDefOut),
  related: z.array(z.string()),
  equipment: z.array(z.string()),
  warnings: z.array(z.string()),
  records: z.array(z.string()),
});

export const caseSummaryOut = z.object({
  id: z.string(),
  ref: z.string(),
  subject: z.string(),
  kind: z.enum(['new', 'update']),
  opd: orgRef,
  status: z.enum(['draft', 'active', 'revision', 'rejected', 'done']),
  step: z.object({ key: z.string(), no: z.number(), title }),
  waitingFor: z.array(role),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  agendaNumber: z.string().nullable(),
  letterNumber: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const fileSpecOut = z.object({
  field: z.string(),
  kinds: z.array(z.string()),
  required: z.boolean(),
  max: z.number(),
});

export const caseDetailOut = caseSummaryOut.extend({
  sop: z.object({ key: z.string(), version: z.number() }),
  version: z.number(),
  letterDate: z.string(),
  description: z.string(),
  /** The website's address as requested or as registered (text, for display and letters). */
  websiteRef: z.string().nullable(),
  /** The registry record this case creates or updates. */
  website: z.object({ id: z.string(), hostname: z.string().nullable(), status: z.string() }).nullable(),
  registration: z
    .object({
      agendaNumber: z.string(),
      receivedAt: z.string(),
      /** Bagian Umum's handling priority: DKISP staff only. */
      urgency: z.string().optional(),
      addressee: z.string(),
    })
    .nullable(),
  pendingDecision: z.enum(['approve', 'reject', 'return']).nullable(),
  decision: z
    .object({
      decision: z.enum(['approve', 'reject', 'return']),
      reason: z.string().nullable(),
      at: z.string(),
      by: personRef,
    })
    .nullable(),
  followUpLetter: z.object({ number: z.string(), date: z.string(), sentAt: z.string() }).nullable(),
  actions: z.array(
    z.object({
      key: z.string(),
      title,
      input: z.record(z.string(), z.unknown()),
      /** For a disposition: the codes of the units that can carry the next step (the only ones accepted). */
      units: z.array(z.string()).optional(),
      files: z.array(fileSpecOut),
    }),
  ),
  steps: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      no: z.number(),
      title,
      lane: z.string(),
      startedAt: z.string(),
      dueAt: z.string(),
      endedAt: z.string().nullable(),
      /** Who ended the step. */
      actor: personRef.nullable(),
      /** Who decided in it and when (the decision step: the Kabid; the letter's sender ends it). */
      decidedBy: personRef.nullable(),
      decidedAt: z.string().nullable(),
      standardTime,
      /** The standard time in working seconds. */
      standardSeconds: z.number().int(),
      /** Working seconds so far, or from start to end once the step ended (whole, rounded to nearest). */
      actualSeconds: z.number().int(),
      late: z.boolean(),
      outputs: z.record(z.string(), z.unknown()),
    }),
  ),
  dispositions: z.array(
    z.object({
      id: z.string(),
      from: personRef,
      toUnit: orgRef.nullable(),
      toUser: personRef.nullable(),
      instruction: z.string(),
      note: z.string().nullable(),
      dueDate: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  files: z.array(
    z.object({
      id: z.string(),
      purpose: z.enum(['letter', 'attachment', 'source', 'report']),
      displayName: z.string(),
      mime: z.string(),
      size: z.number(),
      sha256: z.string(),
      uploadedAt: z.string(),
      uploadedBy: personRef,
      url: z.string(),
    }),
  ),
  kak: z.array(
    z.object({
      version: z.number(),
      content: z.record(z.string(), z.unknown()),
      createdAt: z.string(),
      createdBy: personRef,
    }),
  ),
  team: z.array(personRef),
  history: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: personRef.nullable(),
      action: z.string(),
      step: z.string(),
      payload: z.record(z.string(), z.unknown()),
    }),
  ),
});

export type Service = z.infer<typeof serviceOut>;
export type CaseSummary = z.infer<typeof caseSummaryOut>;
export type CaseDetail = z.infer<typeof caseDetailOut>;
