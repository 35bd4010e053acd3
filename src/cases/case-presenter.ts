import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Actor } from '../shared/context.ts';
import { sopVersion } from '../sop/catalogue.ts';
import { actionInputJsonSchema, availableActions, stepOf } from '../sop/engine.ts';
import type { CaseState, SopDef, StandardTime } from '../sop/types.ts';
import { type CaseDetailRow, type CaseRow, findCaseDetail } from './case.repository.ts';
import type { CaseDetail, CaseSummary } from './case.schemas.ts';
import { engineActor } from './case-access.ts';
import type { SopClock } from './clock.ts';

type PersonCols = { p_id: string | null; p_username: string | null; p_name: string | null };
const personOf = (r: PersonCols) =>
  r.p_id && r.p_username && r.p_name ? { id: r.p_id, username: r.p_username, fullName: r.p_name } : null;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function caseState(
  c: Pick<CaseRow, 'status' | 'step_key' | 'pending_decision' | 'kak_versions'>,
): CaseState {
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

const isoOf = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d).toISOString();
const dateOf = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d);
const anyone = (id: string) => ({ id, username: '', fullName: '' });

/** Everything the case page shows, with the actions this actor may take now (one query). */
export async function loadDetail(
  db: Kysely<Database>,
  id: string,
  actor: Actor,
  clock: SopClock,
): Promise<CaseDetail> {
  const row = await findCaseDetail(db, id);
  if (!row) throw notFound('Case');
  return presentDetail(row, actor, clock);
}

export function presentDetail(c: CaseDetailRow, actor: Actor, clock: SopClock): CaseDetail {
  const sop = sopOf(c);
  const now = clock.now();
  return {
    ...presentSummary(c, now),
    sop: { key: c.sop_key, version: c.sop_version },
    version: c.version,
    letterDate: c.letter_date,
    description: c.description,
    websiteRef: c.website_ref,
    website: c.website ? { id: c.website.id, hostname: c.website.hostname, status: c.website.status } : null,
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
      c.decision && c.decided_at
        ? {
            decision: c.decision,
            reason: c.decision_reason,
            at: c.decided_at.toISOString(),
            by: (c.decider && personOf(c.decider)) ?? anyone(c.decided_by ?? ''),
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
    steps: c.steps.map((s) => {
      const def = stepOf(sop, s.step_key);
      const standard = standardOf(s);
      const startedAt = dateOf(s.started_at);
      const dueAt = dateOf(s.due_at);
      const endedAt = s.ended_at ? dateOf(s.ended_at) : null;
      return {
        id: s.id,
        key: s.step_key,
        no: def.no,
        title: def.title,
        lane: def.lane,
        startedAt: startedAt.toISOString(),
        dueAt: dueAt.toISOString(),
        endedAt: endedAt ? endedAt.toISOString() : null,
        actor: personOf(s),
        standardTime: standard,
        standardSeconds: clock.standardSeconds(standard, startedAt),
        actualSeconds: s.working_seconds ?? clock.workingSeconds(startedAt, now),
        late: (endedAt ?? now) > dueAt,
        outputs: s.outputs as Record<string, unknown>,
      };
    }),
    dispositions: c.dispositions.map((d) => ({
      id: d.id,
      from: personOf(d) ?? anyone(d.from_user_id),
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
      createdAt: isoOf(d.created_at),
    })),
    files: c.files.map((f) => ({
      id: f.id,
      purpose: f.purpose,
      displayName: f.display_name,
      mime: f.mime,
      size: Number(f.size),
      sha256: f.sha256,
      uploadedAt: isoOf(f.uploaded_at),
      uploadedBy: personOf(f) ?? anyone(f.uploaded_by),
      url: `/api/cases/${c.id}/files/${f.id}`,
    })),
    kak: c.kak.map((k) => ({
      version: k.version,
      content: k.content as Record<string, unknown>,
      createdAt: isoOf(k.created_at),
      createdBy: personOf(k) ?? anyone(k.created_by),
    })),
    team: c.team.map((t) => personOf(t)).filter((p) => p !== null),
    history: c.events.map((e) => ({
      id: String(e.id),
      at: isoOf(e.at),
      actor: personOf(e),
      action: e.action,
      step: e.step_key,
      payload: e.payload as Record<string, unknown>,
    })),
  };
}
