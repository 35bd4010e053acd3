/** Types of the Loket HTTP API, as documented in docs/api.md. */

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

export type LocalizedText = { id: string; en: string };

export type StandardTime = { minutes: number } | { workingDays: number };

/** The SOP's swimlanes. */
export const LANES = ['opd', 'umum', 'kepala', 'aptika'] as const;
export type Lane = (typeof LANES)[number];

export type StepDef = {
  key: string;
  no: number;
  title: LocalizedText;
  lane: Lane;
  roles: Role[];
  standardTime: StandardTime;
  inputs: string[];
  outputs: string[];
};

export type Service = {
  key: string;
  version: number;
  title: LocalizedText;
  steps: StepDef[];
  related: string[];
  equipment: string[];
  warnings: string[];
  records: string[];
};

export const CASE_STATUSES = ['draft', 'active', 'revision', 'rejected', 'done'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CaseKind = 'new' | 'update';
export type Decision = 'approve' | 'reject' | 'return';

/**
 * A person on a case. DKISP staff get the account; an OPD gets DKISP staff by position only (no id,
 * no username: `fullName` is then "Bagian Umum", … and `role` says which) and its own colleagues by
 * name (docs/adr/0009-what-the-opd-sees.md).
 */
export type PersonRef = { id?: string; username?: string; fullName: string; role?: Role };

export type CaseSummary = {
  id: string;
  ref: string;
  subject: string;
  kind: CaseKind;
  opd: OrgRef;
  status: CaseStatus;
  step: { key: string; no: number; title: LocalizedText };
  waitingFor: Role[];
  dueAt: string | null;
  overdue: boolean;
  agendaNumber: string | null;
  letterNumber: string;
  createdAt: string;
  updatedAt: string;
};

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

export type ActionOffer = {
  key: string;
  title: LocalizedText;
  input: JsonSchema;
  files: FileSpec[];
  /** For a disposition: the codes of the units that can carry the next step (the only ones the server accepts). */
  units?: string[];
};

export type StepRecord = {
  id: string;
  key: string;
  no: number;
  title: LocalizedText;
  lane: Lane;
  startedAt: string;
  dueAt: string;
  endedAt: string | null;
  /** Who ended the step. */
  actor: PersonRef | null;
  /** Who decided in it and when (the decision step: the Kabid, before Bagian Umum sent the letter). */
  decidedBy?: PersonRef | null;
  decidedAt?: string | null;
  standardTime: StandardTime;
  /** The standard time in working seconds. */
  standardSeconds: number;
  /** Working seconds so far, or from start to end (whole seconds). */
  actualSeconds: number;
  late: boolean;
  outputs: Record<string, unknown>;
};

export type CaseFilePurpose = 'letter' | 'attachment' | 'source' | 'report';

export type CaseFile = {
  id: string;
  purpose: CaseFilePurpose;
  displayName: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: PersonRef;
  url: string;
};

export type Disposition = {
  id: string;
  from: PersonRef;
  toUnit: OrgRef | null;
  toUser: PersonRef | null;
  instruction: string;
  note: string | null;
  dueDate: string | null;
  createdAt: string;
};

export type HistoryEntry = {
  id: string;
  at: string;
  actor: PersonRef | null;
  action: string;
  step: string;
  payload: Record<string, unknown>;
};

export type KakVersion = {
  version: number;
  content: Record<string, string>;
  createdAt: string;
  createdBy: PersonRef;
};

export type CaseDetail = CaseSummary & {
  sop: { key: string; version: number };
  version: number;
  letterDate: string;
  description: string;
  /** The website's address as requested or as registered (text, for display and letters). */
  websiteRef: string | null;
  /** The registry record this request creates or updates (null until there is one). */
  website: CaseWebsite | null;
  /** `urgency` is Bagian Umum's handling priority: DKISP staff only. */
  registration: { agendaNumber: string; receivedAt: string; urgency?: string; addressee: string } | null;
  pendingDecision: Decision | null;
  decision: { decision: Decision; reason: string | null; at: string; by: PersonRef } | null;
  followUpLetter: { number: string; date: string; sentAt: string } | null;
  actions: ActionOffer[];
  steps: StepRecord[];
  dispositions: Disposition[];
  files: CaseFile[];
  kak: KakVersion[];
  team: PersonRef[];
  history: HistoryEntry[];
};

/** A website's state in the registry (src/registry/registry.tables.ts). */
export type CaseWebsiteStatus = 'planned' | 'active' | 'suspended' | 'retired';

/** The registry's website a request is about, as the request detail names it. */
export type CaseWebsite = { id: string; hostname: string | null; status: CaseWebsiteStatus };

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
