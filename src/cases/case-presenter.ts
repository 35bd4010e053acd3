import type { Kysely } from 'kysely';
import { type Audience, audienceOf } from '../auth/policy.ts';
import type { Database, Role } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Actor } from '../shared/context.ts';
import { sopVersion } from '../sop/catalogue.ts';
import { actionInputJsonSchema, availableActions, stepOf, unitsFor } from '../sop/engine.ts';
import type { CaseState, SopDef, StandardTime } from '../sop/types.ts';
import { type CaseDetailRow, type CaseRow, findCaseDetail } from './case.repository.ts';
import type { CaseDetail, CaseSummary } from './case.schemas.ts';
import { engineActor } from './case-access.ts';
import {
  decisionReleased,
  fileVisibleTo,
  outputsFor,
  type PersonCols,
  type PersonOut,
  personFor,
  stepOutputsFor,
} from './case-audience.ts';
import { websiteOfCase } from './case-facts.ts';
import type { SopClock } from './clock.ts';
import { requestFieldsOf } from './request-schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function caseState(c: Pick<CaseRow, 'status' | 'step_key' | 'pending_decision' | 'marks'>): CaseState {
  return {
    status: c.status,
    step: c.step_key,
    pendingDecision: c.pending_decision,
    marks: c.marks ?? {},
  };
}

/** The request's kind when its SOP asks one (the website SOP: new | update). */
function kindOf(c: Pick<CaseRow, 'facts'>): string | null {
  return typeof c.facts.kind === 'string' ? c.facts.kind : null;
}

/**
 * The facts an OPD sees: those its request declared, and the case's website (`websiteId`,
 * `websiteRef`). Facts DKISP's own steps record besides stay with DKISP staff.
 */
function factsFor(aud: Audience, sop: SopDef, facts: Record<string, unknown>): Record<string, unknown> {
  if (aud === 'staff') return facts;
  const shown = new Set(['websiteId', 'websiteRef', ...requestFieldsOf(sop).map((f) => f.key)]);
  return Object.fromEntries(Object.entries(facts).filter(([k]) => shown.has(k)));
}

export function sopOf(c: Pick<CaseRow, 'sop_key' | 'sop_version'>): SopDef {
  return sopVersion(c.sop_key, c.sop_version);
}

/**
 * A case in a list. `aud` shapes it for its reader (docs/adr/0009-what-the-opd-sees.md): an OPD
 * sees who holds the step as the SOP names it, not whether a decision inside it is already taken.
 */
export function presentSummary(c: CaseRow, now: Date, aud: Audience): CaseSummary {
  const sop = sopOf(c);
  const step = stepOf(sop, c.step_key);
  return {
    id: c.id,
    ref: c.ref,
    subject: c.subject,
    service: { key: sop.key, title: sop.title },
    kind: kindOf(c),
    opd: { id: c.opd_id, code: c.opd_code, name: c.opd_name },
    status: c.status,
    step: {
      key: step.key,
      no: step.no,
      title: step.title,
      ...(step.short ? { short: step.short } : {}),
      of: sop.steps.length,
    },
    waitingFor: aud === 'opd' && c.status === 'active' ? [...step.roles] : (c.roles_waiting as Role[]),
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
/** A person the database no longer joins (should not happen: users are never deleted). */
const anyone = (aud: Audience, id: string): PersonOut =>
  aud === 'staff' ? { id, username: '', fullName: '' } : { fullName: 'DKISP' };

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

/**
 * The case page for this actor. What an OPD may not see (DKISP's deliberation, people's accounts)
 * is left out here, once, by the rules of `case-audience.ts`; routes and the web never filter.
 */
export function presentDetail(c: CaseDetailRow, actor: Actor, clock: SopClock): CaseDetail {
  const sop = sopOf(c);
  const now = clock.now();
  const aud = audienceOf(actor);
  const staff = aud === 'staff';
  const who = (r: PersonCols) => personFor(aud, r);
  const decided = (s: {
    d_id: string | null;
    d_username: string | null;
    d_name: string | null;
    d_roles: readonly string[] | null;
    d_opd_id: string | null;
  }) =>
    who({
      p_id: s.d_id,
      p_username: s.d_username,
      p_name: s.d_name,
      p_roles: s.d_roles,
      p_opd_id: s.d_opd_id,
    });
  // Versioned documents (the KAK, …) are DKISP's working drafts: not shown to an OPD.
  const drafts: CaseDetail['drafts'] = {};
  for (const k of staff ? c.drafts : []) {
    const versions = drafts[k.doc] ?? [];
    versions.push({
      version: k.version,
      content: k.content as Record<string, unknown>,
      createdAt: isoOf(k.created_at),
      createdBy: who(k) ?? anyone(aud, k.created_by),
    });
    drafts[k.doc] = versions;
  }
  return {
    ...presentSummary(c, now, aud),
    sop: { key: c.sop_key, version: c.sop_version },
    version: c.version,
    letterDate: c.letter_date,
    description: c.description,
    facts: factsFor(aud, sop, c.facts),
    websiteRef: websiteOfCase(c).websiteRef,
    website: c.website ? { id: c.website.id, hostname: c.website.hostname, status: c.website.status } : null,
    registration:
      c.agenda_number && c.received_at
        ? {
            agendaNumber: c.agenda_number,
            receivedAt: c.received_at.toISOString(),
            ...(staff ? { urgency: c.urgency ?? '' } : {}),
            addressee: c.addressee ?? '',
          }
        : null,
    pendingDecision: staff ? c.pending_decision : null,
    decision:
      c.decision && c.decided_at && (staff || decisionReleased(c))
        ? {
            decision: c.decision,
            reason: c.decision_reason,
            at: c.decided_at.toISOString(),
            by: (c.decider && who(c.decider)) ?? anyone(aud, c.decided_by ?? ''),
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
      ...(a.unitField ? { units: [...unitsFor(sop, caseState(c), a)] } : {}),
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
        actor: who(s),
        // The decision step is ended by whoever sends the letter; its decider is kept besides.
        // An OPD sees it once the step is over (the letter sent).
        decidedBy: s.decided_at && (staff || endedAt) ? decided(s) : null,
        decidedAt: s.decided_at && (staff || endedAt) ? isoOf(s.decided_at) : null,
        standardTime: standard,
        standardSeconds: clock.standardSeconds(standard, startedAt),
        actualSeconds: s.working_seconds ?? clock.workingSeconds(startedAt, now),
        late: (endedAt ?? now) > dueAt,
        outputs: stepOutputsFor(aud, sop, s.step_key, s.outputs as Record<string, unknown>),
      };
    }),
    // Dispositions and the team are DKISP's internal work: not shown to an OPD.
    dispositions: (staff ? c.dispositions : []).map((d) => ({
      id: d.id,
      from: who(d) ?? anyone(aud, d.from_user_id),
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
    files: c.files
      .filter((f) => fileVisibleTo(aud, f.purpose))
      .map((f) => ({
        id: f.id,
        purpose: f.purpose,
        displayName: f.display_name,
        mime: f.mime,
        size: Number(f.size),
        sha256: f.sha256,
        uploadedAt: isoOf(f.uploaded_at),
        uploadedBy: who(f) ?? anyone(aud, f.uploaded_by),
        url: `/api/cases/${c.id}/files/${f.id}`,
      })),
    drafts,
    kak: drafts.kak ?? [],
    team: (staff ? c.team : []).map((t) => who(t)).filter((p) => p !== null),
    history: c.events.flatMap((e) => {
      const payload = outputsFor(aud, sop, e.action, e.step_key, e.payload as Record<string, unknown>);
      if (!payload) return [];
      return [
        { id: String(e.id), at: isoOf(e.at), actor: who(e), action: e.action, step: e.step_key, payload },
      ];
    }),
  };
}
