import type { z } from 'zod';
import type { Role } from '../db/schema.ts';

/** A step's standard time ("waktu" in the SOP table): working minutes or working days. */
export type StandardTime = { minutes: number } | { workingDays: number };

/** The SOP's swimlanes: who executes a step. */
export type Lane = 'opd' | 'umum' | 'kepala' | 'aptika';

export type CaseStatus = 'draft' | 'active' | 'revision' | 'rejected' | 'done';
export type Decision = 'approve' | 'reject' | 'return';

/** One row of the SOP table: activity, executor, inputs (kelengkapan), time, output (hasil). */
export type StepDef = {
  key: string;
  no: number;
  title: { id: string; en: string };
  lane: Lane;
  /** Roles that may act at this step. */
  roles: readonly Role[];
  standardTime: StandardTime;
  inputs: readonly string[];
  outputs: readonly string[];
};

/** A file an action takes (multipart field), checked by content. */
export type FileSpec = {
  field: string;
  kinds: readonly ('pdf' | 'jpeg' | 'png' | 'zip' | 'targz')[];
  required: boolean;
  max: number;
  /** How the file is kept on the case. */
  purpose: 'letter' | 'attachment' | 'source' | 'report';
};

/** The engine's view of a case: all it needs to decide what may happen next. */
export type CaseState = {
  status: CaseStatus;
  step: string;
  /** A decision taken at the decision step whose follow-up letter has not been sent yet. */
  pendingDecision: Decision | null;
  kakVersions: number;
};

/** What an action does to the case when it succeeds. */
export type Effect =
  | { kind: 'stay' }
  | { kind: 'advance'; to: string }
  | { kind: 'finish'; status: 'rejected' | 'done' }
  | { kind: 'pause' };

export type ActionDef = {
  key: string;
  step: string;
  title: { id: string; en: string };
  roles: readonly Role[];
  /** Statuses in which the action exists (default: active). */
  statuses?: readonly CaseStatus[];
  /** The payload (besides `version` and files). */
  input: z.ZodType;
  files?: readonly FileSpec[];
  /** The payload field naming the DKISP unit the case is handed to (checked against `laneUnits`). */
  unitField?: string;
  /** Extra condition on the state; the reason is shown when it does not hold. */
  guard?: (s: CaseState) => string | null;
  effect: (s: CaseState, payload: Record<string, unknown>) => Effect;
};

export type SopDef = {
  key: string;
  version: number;
  title: { id: string; en: string };
  steps: readonly StepDef[];
  actions: readonly ActionDef[];
  /**
   * Which DKISP units (by code) work in which lane: a disposition may name only a unit of the lane
   * of the step it hands the case to.
   */
  laneUnits: Readonly<Partial<Record<Lane, readonly string[]>>>;
  /** Side boxes of the SOP sheet. */
  related: readonly string[];
  equipment: readonly string[];
  warnings: readonly string[];
  records: readonly string[];
};
