import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../db/schema.ts';

type Json = ColumnType<Record<string, unknown>, string | undefined, string>;
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
  kind: 'new' | 'update';
  opd_id: string;
  created_by: string;
  subject: string;
  letter_number: string;
  letter_date: string;
  description: string;
  website_ref: string | null;
  website_id: ColumnType<string | null, string | null | undefined, string | null>;
  status: 'draft' | 'active' | 'revision' | 'rejected' | 'done';
  step_key: string;
  pending_decision: 'approve' | 'reject' | 'return' | null;
  kak_versions: Generated<number>;
  version: Generated<number>;
  agenda_number: string | null;
  agenda_year: number | null;
  agenda_seq: number | null;
  received_at: Date | null;
  urgency: string | null;
  addressee: string | null;
  decision: 'approve' | 'reject' | 'return' | null;
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

export interface KakVersionTable {
  case_id: string;
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

/** Tables of SOP cases (migration 0002_cases). */
export type CaseTables = {
  counters: CounterTable;
  cases: CaseTable;
  case_steps: CaseStepTable;
  case_events: CaseEventTable;
  dispositions: DispositionTable;
  case_files: CaseFileTable;
  kak_versions: KakVersionTable;
  case_team: CaseTeamTable;
  case_waiting: CaseWaitingTable;
};
