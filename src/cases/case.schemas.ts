import { z } from 'zod';
import { ROLES } from '../db/schema.ts';
import { pageQuery } from '../shared/pagination.ts';

// The create and draft-edit bodies depend on the service (its request step's declared facts):
// src/cases/request-schema.ts.

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
  /** The SOP the case runs on. */
  service: z.object({ key: z.string(), title }),
  /** The request's kind when its SOP asks one (`facts.kind`; the website SOP: new | update). */
  kind: z.string().nullable(),
  opd: orgRef,
  status: z.enum(['draft', 'active', 'revision', 'rejected', 'done']),
  step: z.object({
    key: z.string(),
    no: z.number(),
    title,
    /** The SOP's short label for lists and badges ("Keputusan"); absent when the SOP has none. */
    short: title.optional(),
    /** How many steps the SOP has, for "Tahap 5 dari 11". */
    of: z.number().optional(),
  }),
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

/** One version of a versioned document of the case (the document block; the website SOP's KAK). */
const draftOut = z.object({
  version: z.number(),
  content: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  createdBy: personRef,
});

export const caseDetailOut = caseSummaryOut.extend({
  sop: z.object({ key: z.string(), version: z.number() }),
  version: z.number(),
  letterDate: z.string(),
  description: z.string(),
  /** What the request says besides the letter, as its SOP declares it (the OPD sees them too). */
  facts: z.record(z.string(), z.unknown()),
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
  /** The decision outcome's key taken and waiting for its letter (DKISP staff only). */
  pendingDecision: z.string().nullable(),
  decision: z
    .object({
      /** The outcome's key (the website SOP: approve | reject | return). */
      decision: z.string(),
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
  /** Versions of the case's versioned documents by document key (DKISP staff only). */
  drafts: z.record(z.string(), z.array(draftOut)),
  /** The KAK's versions: an alias of `drafts.kak`, kept for the website SOP's clients. */
  kak: z.array(draftOut),
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
