import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import type { Actor } from '../shared/context.ts';
import { sopVersion } from '../sop/catalogue.ts';
import { actionInputJsonSchema, availableActions, stepOf } from '../sop/engine.ts';
import type { CaseState, SopDef, StandardTime } from '../sop/types.ts';
import {
  type CaseRow,
  findPerson,
  listCaseFiles,
  listDispositions,
  listEvents,
  listKak,
  listSteps,
  listTeam,
} from './case.repository.ts';
import type { CaseDetail, CaseSummary } from './case.schemas.ts';
import { engineActor } from './case-access.ts';
import type { SopClock } from './clock.ts';

type PersonCols = { p_id: string | null; p_username: string | null; p_name: string | null };
const personOf = (r: PersonCols) =>
  r.p_id && r.p_username && r.p_name ? { id: r.p_id, username: r.p_username, fullName: r.p_name } : null;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function caseState(c: CaseRow): CaseState {
  return {
    status: c.status,
    step: c.step_key,
    pendingDecision: c.pending_decision,
    kakVersions: c.kak_versions,
  };
}

export function sopOf(c: Pick<CaseRow, 'sop_key' | 'sop_version'>): SopDef {
  return sopVersion(c.sop_key, c.sop_version);
}

export function presentSummary(c: CaseRow, now: Date): CaseSummary {
  const sop = sopOf(c);
  const step = stepOf(sop, c.step_key);
  return {
    id: c.id,
    ref: c.ref,
    subject: c.subject,
    kind: c.kind,
    opd: { id: c.opd_id, code: c.opd_code, name: c.opd_name },
    status: c.status,
    step: { key: step.key, no: step.no, title: step.title },
    waitingFor: c.roles_waiting as Role[],
    dueAt: c.status === 'active' || c.status === 'draft' ? iso(c.current_due_at) : null,
    overdue: c.status === 'active' && c.current_due_at !== null && c.current_due_at < now,
    agendaNumber: c.agenda_number,
    letterNumber: c.letter_number,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  };
}

function standardOf(r: { standard_minutes: number | null; standard_days: number | null }): StandardTime {
  return r.standard_days !== null ? { workingDays: r.standard_days } : { minutes: r.standard_minutes ?? 0 };
}

/** Everything the case page shows, with the actions this actor may take now. */
export async function presentDetail(
  db: Kysely<Database>,
  c: CaseRow,
  actor: Actor,
  clock: SopClock,
): Promise<CaseDetail> {
  const sop = sopOf(c);
  const now = clock.now();
  const [steps, events, dispositions, files, kak, team, decidedBy] = await Promise.all([
    listSteps(db, c.id),
    listEvents(db, c.id),
    listDispositions(db, c.id),
    listCaseFiles(db, c.id),
    listKak(db, c.id),
    listTeam(db, c.id),
    findPerson(db, c.decided_by),
  ]);
  return {
    ...presentSummary(c, now),
    sop: { key: c.sop_key, version: c.sop_version },
    version: c.version,
    letterDate: c.letter_date,
    description: c.description,
    websiteRef: c.website_ref,
    registration:
      c.agenda_number && c.received_at
        ? {
            agendaNumber: c.agenda_number,
            receivedAt: c.received_at.toISOString(),
            urgency: c.urgency ?? '',
            addressee: c.addressee ?? '',
          }
        : null,
    pendingDecision: c.pending_decision,
    decision:
      c.decision && c.decided_at && decidedBy
        ? {
            decision: c.decision,
            reason: c.decision_reason,
            at: c.decided_at.toISOString(),
            by: personOf(decidedBy) ?? { id: '', username: '', fullName: '' },
          }
        : null,
    followUpLetter:
      c.tl_number && c.tl_date && c.tl_sent_at
        ? { number: c.tl_number, date: c.tl_date, sentAt: c.tl_sent_at.toISOString() }
        : null,
    actions: availableActions(sop, caseState(c), engineActor(actor, c)).map((a) => ({
      key: a.key,
      title: a.title,
      input: actionInputJsonSchema(a),
      files: (a.files ?? []).map((f) => ({
        field: f.field,
        kinds: [...f.kinds],
        required: f.required,
        max: f.max,
      })),
    })),
    steps: steps.map((s) => {
      const def = stepOf(sop, s.step_key);
      const standard = standardOf(s);
      const standardMinutes = clock.standardMinutes(standard, s.started_at);
      const actualMinutes = s.working_minutes ?? clock.workingMinutes(s.started_at, now);
      return {
        id: s.id,
        key: s.step_key,
        no: def.no,
        title: def.title,
        lane: def.lane,
        startedAt: s.started_at.toISOString(),
        dueAt: s.due_at.toISOString(),
        endedAt: iso(s.ended_at),
        actor: personOf(s),
        standardTime: standard,
        standardMinutes,
        actualMinutes,
        late: (s.ended_at ?? now) > s.due_at,
        outputs: s.outputs,
      };
    }),
    dispositions: dispositions.map((d) => ({
      id: d.id,
      from: personOf(d) ?? { id: d.from_user_id, username: '', fullName: '' },
      toUnit:
        d.to_unit_id && d.unit_code && d.unit_name
          ? { id: d.to_unit_id, code: d.unit_code, name: d.unit_name }
          : null,
      toUser:
        d.to_user_id && d.to_username && d.to_name
          ? { id: d.to_user_id, username: d.to_username, fullName: d.to_name }
          : null,
      instruction: d.instruction,
      note: d.note,
      dueDate: d.due_date,
      createdAt: d.created_at.toISOString(),
    })),
    files: files.map((f) => ({
      id: f.id,
      purpose: f.purpose,
      displayName: f.display_name,
      mime: f.mime,
      size: Number(f.size),
      sha256: f.sha256,
      uploadedAt: f.uploaded_at.toISOString(),
      uploadedBy: personOf(f) ?? { id: f.uploaded_by, username: '', fullName: '' },
      url: `/api/cases/${c.id}/files/${f.id}`,
    })),
    kak: kak.map((k) => ({
      version: k.version,
      content: k.content,
      createdAt: k.created_at.toISOString(),
      createdBy: personOf(k) ?? { id: k.created_by, username: '', fullName: '' },
    })),
    team: team.map((t) => personOf(t)).filter((p) => p !== null),
    history: events.map((e) => ({
      id: String(e.id),
      at: e.at.toISOString(),
      actor: personOf(e),
      action: e.action,
      step: e.step_key,
      payload: e.payload,
    })),
  };
}
