import type { z } from 'zod';
import type { Role } from '../db/schema.ts';
import type {
  Bilingual,
  BranchDef,
  DefinitionProblem,
  LaneDef,
  SopDefinition,
  StandardTime,
  StepDefinition,
} from './definition.ts';

// The engine's runtime shapes (docs/adr/0015-sops-as-data.md). A definition (definition.ts, data)
// is compiled once per version into an `SopDef`: its steps, and the actions each step's block
// contributes. Nothing here names a particular SOP.

export type { StandardTime } from './definition.ts';

/** A swimlane's key (from the definition's `lanes`). */
export type Lane = string;

export type CaseStatus = 'draft' | 'active' | 'revision' | 'rejected' | 'done';
/** A decision outcome's key (the built-in SOPs use approve / reject / return). */
export type Decision = string;

/** One row of the SOP table, compiled: the definition's step plus its number and acting roles. */
export type StepDef = {
  key: string;
  no: number;
  title: Bilingual;
  short?: Bilingual | undefined;
  lane: Lane;
  /** Roles that may act at this step (the step's own, or its lane's). */
  roles: readonly Role[];
  block: string;
  standardTime: StandardTime;
  inputs: readonly string[];
  outputs: readonly string[];
  notes?: string | undefined;
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
  /** A decision taken at a decision step whose follow-up letter has not been sent yet. */
  pendingDecision: Decision | null;
  /**
   * Counters blocks keep on the case for their guards, e.g. `doc:kak` = versions of the KAK saved.
   * Kept in `cases.marks`.
   */
  marks: Readonly<Record<string, number>>;
};

/** What an action does to the case when it succeeds. */
export type Effect =
  | { kind: 'stay' }
  | { kind: 'advance'; to: string }
  | { kind: 'finish'; status: 'rejected' | 'done' }
  | { kind: 'pause' };

/** What the requesting OPD is told after an action (in-app and e-mail). */
export type OpdNews = { kind: string; title: string };

export type ActionDef = {
  /** The action's key in the API (`POST /api/cases/:id/actions/:key`), after the step's renames. */
  key: string;
  /** The block that contributes it and the action's name inside the block (finds its handler). */
  block: string;
  name: string;
  step: string;
  title: Bilingual;
  roles: readonly Role[];
  /** Statuses in which the action exists (default: active). */
  statuses?: readonly CaseStatus[];
  /** The payload (besides `version` and files); UI hints travel in its JSON Schema (`x-loket-*`). */
  input: z.ZodType;
  files?: readonly FileSpec[];
  /** The payload field naming the DKISP unit the case is handed to (checked against the lane's units). */
  unitField?: string;
  /** Extra condition on the state; the reason is shown when it does not hold. */
  guard?: (s: CaseState) => string | null;
  effect: (s: CaseState, payload: Record<string, unknown>) => Effect;
  /** What the action changes in the state besides the move (a pending decision, a mark). */
  apply?: (
    s: CaseState,
    payload: Record<string, unknown>,
  ) => Partial<Pick<CaseState, 'pendingDecision' | 'marks'>>;
  /** Every step the action can lead to (for the chart and "what comes next"). */
  targets: readonly string[];
  /**
   * Which of its recorded outputs an OPD sees (docs/adr/0009-what-the-opd-sees.md); `false`: the
   * action is DKISP's internal work and left out of the OPD's history and step outputs.
   */
  opdSees: readonly string[] | false;
  /** What to tell the requesting OPD after the action (null: nothing). */
  opdNews?: (before: CaseState, after: CaseState) => OpdNews | null;
};

/** A diamond of the SOP chart: a decision step's outcomes, or a branch after a step. */
export type Diamond = {
  step: string;
  question: Bilingual;
  /** Numbered among the SOP's decisions (for the sheet's "keputusan 1"). */
  no: number;
  outcomes: readonly {
    key: string;
    label: Bilingual;
    /** The step it leads to; null when it ends the case. */
    to: string | null;
    end?: 'rejected' | 'done';
    /** Returned to the OPD for revision; the case resumes at `to`. */
    revise?: boolean;
  }[];
};

export type SopDef = {
  key: string;
  version: number;
  title: Bilingual;
  purpose?: Bilingual | undefined;
  requirements: readonly string[];
  refPrefix: string;
  lanes: readonly LaneDef[];
  steps: readonly StepDef[];
  actions: readonly ActionDef[];
  diamonds: readonly Diamond[];
  /**
   * Which DKISP units (by code) work in which lane: a disposition may name only a unit of the lane
   * of the step it hands the case to.
   */
  laneUnits: Readonly<Record<Lane, readonly string[]>>;
  /** Side boxes of the SOP sheet. */
  related: readonly string[];
  equipment: readonly string[];
  warnings: readonly string[];
  records: readonly string[];
  /** The definition this was compiled from (what GET /api/services/:key answers). */
  definition: SopDefinition;
};

/** Where a block is used, as its builder sees it. */
export type BlockContext = {
  sop: SopDefinition;
  step: StepDefinition;
  /** The step's position in `sop.steps`. */
  index: number;
  /** The step a plain "done" leads to: the step's `next`, else the following step; null for the last. */
  next: string | null;
  /** The roles that act at the step (its own, or its lane's). */
  roles: readonly Role[];
  /** The step's branch, if it has one: the completing action's `targets`/effect follow it. */
  branch: BranchDef | undefined;
};

/** An action as a block builds it, before the step's renames (`key` is the default API key). */
export type BlockAction = Omit<ActionDef, 'block' | 'step' | 'key'> & { key: string };

/**
 * A block of the catalogue (docs/sop-blocks.md): a kind of step Loket implements and tests once —
 * intake of the request letter, registration, disposition, review, decision with its letter, …
 * Pure: its database side (the action handlers) lives in `src/cases/blocks/`.
 */
export type BlockDef<C = unknown> = {
  key: string;
  title: Bilingual;
  description: Bilingual;
  /** The step's `config`, validated (and defaulted) by this. */
  config: z.ZodType<C>;
  /** What the block records on the case (for the catalogue and the designer). */
  records: readonly Bilingual[];
  /** Official document kinds it can issue (documents module). */
  documents: readonly string[];
  /** May this block be the first step (receives the request)? */
  first?: boolean;
  /** Does the block end the case (no `next`)? */
  terminal?: boolean;
  /** The names of every action the block can build (some only with some configs), for the catalogue. */
  actionNames?: readonly string[];
  /** The actions the step offers. */
  actions: (cfg: C, at: BlockContext) => BlockAction[];
  /** Checks beyond the config's schema (paths relative to the step's `config`). */
  check?: (cfg: C, at: BlockContext) => DefinitionProblem[];
  /** The diamond it draws (a decision step). */
  diamond?: (cfg: C, at: BlockContext) => Omit<Diamond, 'no' | 'step'> | null;
};
