/**
 * Types of the Loket HTTP API, as documented in docs/api.md. Where the server has a response schema the
 * type is inferred from it (type-only imports from src/, erased from the bundle); the rest are kept here.
 */
import type { z } from 'zod';
import type {
  caseDetailOut,
  caseSummaryOut,
  serviceOut,
  stepDefOut,
} from '../../../src/cases/case.schemas.ts';

export const ROLES = ['opd', 'umum', 'kepala', 'kabid', 'subkoor', 'staf', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type OrgRef = { id: string; code: string; name: string };

export type Me = {
  id: string;
  username: string;
  fullName: string;
  nip: string | null;
  email: string | null;
  phone: string | null;
  roles: Role[];
  opd: OrgRef | null;
  unit: OrgRef | null;
};

export type User = Me & { active: boolean; createdAt: string; updatedAt: string; lastLoginAt: string | null };

export type Opd = {
  id: string;
  code: string;
  name: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
};

/** DKISP work units (Bagian Umum, Bidang Aplikasi Informatika, …). */
export type Unit = Opd;

export type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
};

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** Days off in the working-time calendar (docs/api.md, Holidays and working time). */
export const HOLIDAY_KINDS = ['national', 'cuti_bersama', 'local'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

export type Holiday = {
  date: string /* YYYY-MM-DD */;
  name: string;
  kind: HolidayKind;
  createdAt: string;
  updatedAt: string;
};

export type HolidayInput = { date: string; name: string; kind: HolidayKind };

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';

export type ImportRow = {
  line: number;
  code: string;
  name: string;
  active: boolean;
  action: ImportAction;
  errors: string[];
};

export type ImportResult = {
  rows: ImportRow[];
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
};

export type UserCreateInput = {
  username: string;
  fullName: string;
  nip?: string | null;
  email?: string | null;
  phone?: string | null;
  roles: Role[];
  opdId?: string | null;
  unitId?: string | null;
  password: string;
};

export type UserUpdateInput = {
  fullName?: string;
  nip?: string | null;
  email?: string | null;
  phone?: string | null;
  roles?: Role[];
  opdId?: string | null;
  unitId?: string | null;
  active?: boolean;
};

export type OrgInput = { code?: string; name?: string; active?: boolean };

// ---------- Cases (docs/api.md, Cases) ----------
// The shapes the server answers, inferred from its own response schemas (src/cases/case.schemas.ts):
// type-only imports, erased from the bundle.

export type LocalizedText = { id: string; en: string };

export type StandardTime = { minutes: number } | { workingDays: number };

/** The website SOP's swimlanes (a served SOP names its own: `Service['lanes']`). */
export const LANES = ['opd', 'umum', 'kepala', 'aptika'] as const;
/** A swimlane's key, as the served SOP names it. */
export type Lane = string;

/** A step of the catalogue's SOP (GET /api/services). */
export type StepDef = z.infer<typeof stepDefOut>;

/** A lane of a served SOP: who works in it. */
export type ServiceLane = { key: string; title: LocalizedText; roles?: Role[]; units?: string[] };

/** A diamond of a served SOP: a decision step's outcomes, or a branch after a step. */
export type ServiceDiamond = {
  step: string;
  question: LocalizedText;
  no?: number;
  field?: string;
  outcomes: {
    key: string;
    label: LocalizedText;
    to: string | null;
    end?: 'rejected' | 'done';
    revise?: boolean;
  }[];
};

/**
 * What the catalogue adds for SOPs as data (design §7); optional here so that the type holds against
 * a server that does not serve them yet (then the web falls back to the dictionary's lane names).
 */
type CatalogueAdditions = {
  lanes: ServiceLane[];
  diamonds: ServiceDiamond[];
  retired: boolean;
  /** JSON Schema of the request's own fields (its facts), with UI hints. */
  requestInput: Record<string, unknown>;
};

/** A service of the catalogue (GET /api/services): its steps, lanes and diamonds. */
export type Service = z.infer<typeof serviceOut> & Partial<CatalogueAdditions>;

export const CASE_STATUSES = ['draft', 'active', 'revision', 'rejected', 'done'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CaseKind = 'new' | 'update';
/** A decision outcome's key (the website SOP's: approve / reject / return). */
export type Decision = NonNullable<CaseDetail['pendingDecision']>;

export type CaseSummary = z.infer<typeof caseSummaryOut>;

type ServedCaseDetail = z.infer<typeof caseDetailOut>;

/**
 * A person on a case. DKISP staff get the account; an OPD gets DKISP staff by position only (no id,
 * no username: `fullName` is then "Bagian Umum", … and `role` says which) and its own colleagues by
 * name (docs/adr/0009-what-the-opd-sees.md).
 */
export type PersonRef = ServedCaseDetail['team'][number];

/** File kinds as the server checks them by content (`targz`: a gzip-compressed tar; `gzip` kept as an alias). */
export type FileKind = 'pdf' | 'jpeg' | 'png' | 'zip' | 'targz' | 'gzip';
export type FileSpec = {
  field: string;
  kinds: FileKind[];
  required: boolean;
  max: number;
  /** The largest file the server takes, when it says (else the client assumes its defaults). */
  maxBytes?: number;
};

/** A JSON Schema as the server writes it for an action's payload (the subset the forms read). */
export type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  title?: string;
  /** UI hints the server's blocks put in the schema (docs/adr/0015-sops-as-data.md); the web reads only these. */
  'x-loket-picker'?: 'staff' | 'staffMulti' | 'unit' | 'server' | 'pool' | 'website' | 'hostname' | 'ip';
  'x-loket-roles'?: Role[];
  'x-loket-prefill'?: string;
  'x-loket-widget'?: 'textarea' | 'confirm' | 'datetime' | 'date' | 'radio' | 'switch';
  'x-loket-label'?: LocalizedText;
  'x-loket-help'?: LocalizedText;
  /** On an action's root schema: ask before sending (only `when` the condition holds, if given). */
  'x-loket-confirm'?: LocalizedText & { when?: JsonCondition; danger?: boolean };
  'x-loket-requiredWhen'?: JsonCondition;
  'x-loket-hiddenWhen'?: JsonCondition;
  /** The options' labels, when the values are listed with them. */
  'x-loket-choices'?: { value: string | boolean; label: LocalizedText }[];
};

/** Another field's value (or one of several) that a UI hint depends on. */
export type JsonCondition = { field: string; equals: string | boolean | (string | boolean)[] };

/** An action offered on a case: its payload's JSON Schema (with the UI hints) and the files it takes. */
export type ActionOffer = Omit<ServedCaseDetail['actions'][number], 'input' | 'files'> & {
  input: JsonSchema;
  files: FileSpec[];
};

export type StepRecord = ServedCaseDetail['steps'][number];
export type CaseFile = ServedCaseDetail['files'][number];
export type CaseFilePurpose = CaseFile['purpose'];
export type Disposition = ServedCaseDetail['dispositions'][number];
export type HistoryEntry = ServedCaseDetail['history'][number];
export type KakVersion = ServedCaseDetail['kak'][number];

/** A request as GET /api/cases/:id answers it (the actions' schemas read as JSON Schema). */
export type CaseDetail = Omit<ServedCaseDetail, 'actions'> & { actions: ActionOffer[] };

/** A website's state in the registry (src/registry/registry.tables.ts). */
export type CaseWebsiteStatus = 'planned' | 'active' | 'suspended' | 'retired';

/** The registry's website a request is about, as the request detail names it. */
export type CaseWebsite = NonNullable<CaseDetail['website']>;

export type CaseView = 'inbox' | 'overdue' | 'all';
/** Menu badges, each counted up to 1000; the `…Capped` flags say there are more. */
export type CaseCounts = { inbox: number; overdue: number; inboxCapped: boolean; overdueCapped: boolean };

/** Fields of a new request (POST /api/cases, PATCH for a draft). */
export type CaseInput = {
  kind: CaseKind;
  subject: string;
  letterNumber: string;
  letterDate: string;
  description: string;
  /** For an update: one of the OPD's own websites in the registry. */
  websiteId?: string;
  /** For a new website: the full address the OPD would like, e.g. `dinkes.example-kab.go.id`. */
  requestedHostname?: string;
};

export type StaffMember = {
  id: string;
  username: string;
  fullName: string;
  roles: Role[];
  unit: OrgRef | null;
};

export type AppNotification = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  caseId: string | null;
  createdAt: string;
  readAt: string | null;
};

export type NotificationPage = Page<AppNotification> & { unread: number };

// ---------- Official documents (docs/api.md, Documents and their verification) ----------

export const DOCUMENT_KINDS = [
  'disposition_sheet',
  'follow_up_letter',
  'kak',
  'report',
  'case_summary',
  'sop_sheet',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** An issued PDF: immutable; issuing the same kind again makes a new version that replaces it. */
export type OfficialDocument = {
  id: string;
  kind: DocumentKind;
  title: string;
  number: string | null;
  version: number;
  replacesId: string | null;
  sha256: string;
  size: number;
  issuedAt: string;
  /** DKISP staff see the issuer's account; an OPD the issuer's position only. */
  issuedBy: { id?: string; fullName: string };
  /** `/api/documents/:id/pdf`: the PDF as issued, as an attachment. */
  url: string;
  /** `/verifikasi/:id`: the public verification page. */
  verifyUrl: string;
};

/** What anyone may learn about a document from its QR code (nothing private). */
export type DocumentVerification = {
  id: string;
  kind: DocumentKind;
  title: string;
  number: string | null;
  version: number;
  issuedAt: string;
  issuedBy: string;
  sha256: string;
  replacesId: string | null;
  replacedById: string | null;
  info: { caseRef?: string; opd?: string; [key: string]: unknown };
};

export type VerifyResult = { valid: boolean; sha256: string; issuedSha256: string };

export const LETTER_VARIANTS = ['approve', 'reject', 'return'] as const;
export type LetterVariant = (typeof LETTER_VARIANTS)[number];

export type DocumentSettings = {
  letterhead: { government: string; agency: string; address: string; contact: string };
  signer: { name: string; title: string; nip: string | null };
  /** Where letters are signed. */
  place: string;
  /** e.g. `{klasifikasi}/{nomor4}/{unit}/{tahun}`. */
  numbering: { pattern: string; classification: string; unit: string };
  /** `{{field}}` placeholders; paragraphs separated by blank lines. */
  templates: Record<LetterVariant, string>;
  logo: { mime: string } | null;
};

export type DocumentSettingsInput = Omit<DocumentSettings, 'logo'>;

export type TemplatePreview = { paragraphs: string[]; unknownFields: string[] };
