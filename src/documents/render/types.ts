// What each official document shows: plain data in, PDF bytes out (see render/*.ts). The
// documents service gathers this from a case and the admin's settings; renderers do layout only.

/** The agency's letterhead (kop surat), set by the administrator. */
export type Letterhead = {
  /** e.g. "PEMERINTAH KABUPATEN CONTOH" */
  government: string;
  /** e.g. "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN" */
  agency: string;
  address: string;
  /** Phone, e-mail, website in one line. */
  contact: string;
  /** PNG or JPEG bytes, already checked by content and size; null for none. */
  logo: Buffer | null;
};

export type Signer = { name: string; title: string; nip: string | null };

/** The verification mark on every issued document: its id and the public URL the QR code opens. */
export type VerifyMark = { documentId: string; url: string };

export type DispositionEntry = {
  from: string;
  to: string;
  instruction: string;
  note: string | null;
  at: Date;
  dueDate: string | null;
};

export type DispositionSheetData = {
  letterhead: Letterhead;
  agendaNumber: string;
  receivedAt: Date;
  letterNumber: string;
  /** YYYY-MM-DD */
  letterDate: string;
  /** The sending OPD. */
  sender: string;
  subject: string;
  urgency: string;
  addressee: string;
  dispositions: DispositionEntry[];
  verify: VerifyMark;
};

export type FollowUpLetterData = {
  letterhead: Letterhead;
  /** The outgoing letter number, e.g. "500.11/0012/DKISP/2026". */
  number: string;
  /** YYYY-MM-DD */
  date: string;
  /** Where the letter is signed, e.g. "Contoh". */
  place: string;
  variant: 'approve' | 'reject' | 'return';
  /** e.g. "Kepala Dinas Kesehatan" */
  addressee: string;
  addresseePlace: string;
  /** "Hal" line. */
  subject: string;
  /** "Sifat" line; "Biasa" when absent. */
  urgency?: string;
  /** "Lampiran" line, e.g. "1 (satu) berkas"; "-" when absent. */
  attachments?: string;
  /** Body paragraphs, already filled from the admin's template. */
  paragraphs: string[];
  signer: Signer;
  verify: VerifyMark;
};

export type KakData = {
  letterhead: Letterhead;
  caseRef: string;
  subject: string;
  opd: string;
  version: number;
  /** Sections in order: [title, text]. */
  sections: [string, string][];
  createdAt: Date;
  createdBy: string;
  verify: VerifyMark;
};

export type StepLine = {
  no: number;
  title: string;
  executor: string;
  startedAt: Date | null;
  endedAt: Date | null;
  actor: string | null;
  /** e.g. "25 menit", "3 hari kerja" */
  standard: string;
  /** e.g. "40 menit" */
  actual: string;
  late: boolean;
};

export type ReportData = {
  letterhead: Letterhead;
  caseRef: string;
  subject: string;
  opd: string;
  summary: string;
  /** Installation facts as label/value pairs (server, IP, subdomain, URL, …). */
  facts: [string, string][];
  /** Names of the documentation files attached to the case. */
  documentation: string[];
  steps: StepLine[];
  signer: Signer;
  date: string;
  verify: VerifyMark;
};

export type CaseSummaryData = {
  letterhead: Letterhead;
  caseRef: string;
  subject: string;
  opd: string;
  status: string;
  steps: StepLine[];
  verify: VerifyMark;
};

/** A diamond of the SOP sheet: a decision step's outcomes, or a branch after a step. */
export type SopSheetDecision = {
  /** Numbered among the SOP's diamonds ("Keputusan 1"). */
  no: number;
  /** The question in the diamond, e.g. "Disetujui?". */
  question: string;
  /**
   * Every way out, in the definition's order. The one leading to the next row follows the main
   * line; the first other one leading to a step is drawn as an arrow to it; any further ones as
   * labelled stubs. All of them are also listed in Keterangan.
   */
  outcomes: {
    label: string;
    /** The `no` of the step it leads to; null when it ends the case. */
    to: number | null;
    end?: 'rejected' | 'done';
    /** Returned to the OPD for revision; the case resumes at `to`. */
    revise?: boolean;
  }[];
};

/** The SOP sheet: the official table of an SOP with its swimlanes and side boxes. */
export type SopSheetData = {
  letterhead: Letterhead;
  title: string;
  version: number;
  /** Swimlane columns, in order, with their labels (any number, from the definition's lanes). */
  lanes: { key: string; label: string }[];
  steps: {
    no: number;
    activity: string;
    lane: string;
    /** The step is a diamond (a decision, or a branch on one of its fields). */
    decision?: SopSheetDecision;
    inputs: string[];
    time: string;
    outputs: string[];
    notes?: string;
  }[];
  related: string[];
  equipment: string[];
  warnings: string[];
  records: string[];
  verify: VerifyMark | null;
  /** A draft (the designer's preview): a watermark on every page, no verification mark. */
  draft?: boolean;
};

/** A party to a Berita Acara: who signs for whom. `name` may be empty (signed by hand). */
export type Party = { name: string; title: string; nip?: string | null };

/** Particulars every numbered case document shows under its title. */
export type CaseDocumentHead = {
  letterhead: Letterhead;
  /** The document's own number (tata naskah dinas pattern, its own running counter). */
  number: string;
  /** YYYY-MM-DD */
  date: string;
  place: string;
  /** The title the SOP gives it, e.g. "Berita Acara Serah Terima Server". */
  title: string;
  caseRef: string;
  /** The service (the SOP's title). */
  service: string;
  opd: string;
  subject: string;
  /** Further fields the SOP declares, as label/value pairs. */
  facts: [string, string][];
  verify: VerifyMark;
};

/** Berita Acara serah terima: who hands what over to whom, when and where, signed by both. */
export type BeritaAcaraData = CaseDocumentHead & {
  firstParty: Party;
  secondParty: Party;
  /** What is handed over, one item a line. */
  items: string[];
  /** Known to (mengetahui), e.g. the head of DKISP; null for none. */
  witness: Signer | null;
};

/** Rekomendasi of a consultation: who attended, what was found, what is recommended. */
export type RecommendationData = CaseDocumentHead & {
  attendees: string[];
  findings: string;
  recommendation: string;
  signer: Signer;
};
