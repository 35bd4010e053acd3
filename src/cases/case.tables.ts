import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../db/schema.ts';

type Json = ColumnType<Record<string, unknown>, string | undefined, string>;
/** `cases.marks`: counters blocks keep for their guards (CaseState.marks), e.g. `doc:kak`. */
type Marks = ColumnType<Record<string, number>, string | undefined, string>;
type Created = ColumnType<Date, Date | undefined, never>;

export interface CounterTable {
  name: string;
  year: number;
  last: number;
}

export interface CaseTable {
  id: Generated<string>;
  ref: string;
  sop_key: string;
  sop_version: number;
  opd_id: string;
  created_by: string;
  subject: string;
  letter_number: string;
  letter_date: string;
  description: string;
  status: 'draft' | 'active' | 'revision' | 'rejected' | 'done';
  step_key: string;
  /** A decision outcome's key (the decision step's), taken and waiting for its letter. */
  pending_decision: string | null;
  /**
   * What the request says besides the letter, as the SOP's request step declares it (validated by
   * its schema, src/cases/request-schema.ts). The website SOP: kind, websiteId, websiteRef,
   * requestedHostname. `websiteId`/`websiteRef` name the case's website wherever an SOP has one.
   */
  facts: Json;
  marks: Marks;
  version: Generated<number>;
  agenda_number: string | null;
  agenda_year: number | null;
  agenda_seq: number | null;
  received_at: Date | null;
  urgency: string | null;
  addressee: string | null;
  /** The decision outcome's key. */
  decision: string | null;
  decision_reason: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  tl_number: string | null;
  tl_date: string | null;
  tl_sent_at: Date | null;
  current_step_id: string | null;
  current_due_at: Date | null;
  roles_waiting: ColumnType<Role[], Role[] | undefined, Role[]>;
  submitted_at: Date | null;
  closed_at: Date | null;
  created_at: Created;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface CaseStepTable {
  id: Generated<string>;
  case_id: string;
  seq: number;
  step_key: string;
  started_at: Date;
  due_at: Date;
  ended_at: Date | null;
  actor_id: string | null;
  standard_minutes: number | null;
  standard_days: number | null;
  /** Working time from start to end in whole seconds (rounded to the nearest), set when the step ends. */
  working_seconds: number | null;
  /** Who decided in this step (the Kabid at the decision step) and when; the ender is `actor_id`. */
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  outputs: Json;
  overdue_notified_at: Date | null;
}

export interface CaseEventTable {
  id: Generated<string>;
  case_id: string;
  at: Generated<Date>;
  actor_id: string | null;
  action: string;
  step_key: string;
  payload: Json;
}

export interface DispositionTable {
  id: Generated<string>;
  case_id: string;
  from_user_id: string;
  to_unit_id: string | null;
  to_user_id: string | null;
  instruction: string;
  note: string | null;
  due_date: ColumnType<string | null, string | null | undefined, never>;
  created_at: Created;
}

export interface CaseFileTable {
  id: Generated<string>;
  case_id: string;
  purpose: 'letter' | 'attachment' | 'source' | 'report';
  storage_key: string;
  display_name: string;
  mime: string;
  size: ColumnType<string | number, number, never>;
  sha256: string;
  step_key: string;
  uploaded_by: string;
  uploaded_at: Created;
  superseded_at: Date | null;
}

/** Versions of a case's versioned documents (the document block), e.g. doc 'kak'. */
export interface CaseDraftTable {
  case_id: string;
  doc: string;
  version: number;
  content: Json;
  created_by: string;
  created_at: Created;
}

export interface CaseWaitingTable {
  role: string;
  case_id: string;
  opd_id: string;
}

export interface CaseTeamTable {
  case_id: string;
  user_id: string;
}

/** Tables of SOP cases (migrations 0002_cases, 0014_generic_cases). */
export type CaseTables = {
  counters: CounterTable;
  cases: CaseTable;
  case_steps: CaseStepTable;
  case_events: CaseEventTable;
  dispositions: DispositionTable;
  case_files: CaseFileTable;
  case_drafts: CaseDraftTable;
  case_team: CaseTeamTable;
  case_waiting: CaseWaitingTable;
};
