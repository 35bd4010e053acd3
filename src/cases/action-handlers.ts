import type { Kysely, Updateable } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { readDocumentSettings } from '../documents/document-settings.ts';
import { AppError } from '../errors.ts';
import { findOrgById } from '../orgs/org.repository.ts';
import { installWebsite, linkWebsiteAtStart, recordBuild } from '../registry/case-link.ts';
import type { Ctx } from '../shared/context.ts';
import { unitsFor } from '../sop/engine.ts';
import {
  type CaseRow,
  findActiveUsers,
  hasLetter,
  insertDisposition,
  insertKak,
  markStepDecided,
  replaceTeam,
} from './case.repository.ts';
import type { CaseTable } from './case.tables.ts';
import { type CaseDeps, formatNumber, localDate } from './case-deps.ts';
import { caseState, sopOf } from './case-presenter.ts';
import { nextNumber } from './counter.repository.ts';

/** What an action's own rules add to the generic transition. */
export type HandlerResult = {
  patch?: Updateable<CaseTable>;
  /** Recorded as the step's outputs ("hasil") and in the history. */
  outputs?: Record<string, unknown>;
};

export type HandlerArgs = {
  trx: Kysely<Database>;
  c: CaseRow;
  payload: Record<string, unknown>;
  ctx: Ctx;
  deps: CaseDeps;
  now: Date;
};

function fieldError(
  code: 'REFERENCE_INVALID' | 'INVALID_DATE' | 'LETTER_DATE_IN_FUTURE',
  path: string,
  message: string,
) {
  return new AppError(code, message, { details: { fields: [{ path, message }] } });
}

async function assertStaff(trx: Kysely<Database>, ids: string[], roles: Role[], path: string): Promise<void> {
  const found = await findActiveUsers(trx, ids);
  const ok = found.filter((u) => u.roles.some((r) => roles.includes(r)));
  if (ok.length !== new Set(ids).size) {
    throw fieldError('REFERENCE_INVALID', path, `must be active ${roles.join('/')} staff`);
  }
}

const s = (v: unknown) => v as string;
const opt = (v: unknown) => (v === undefined ? undefined : (v as string));

/** Per-action rules and side effects; the engine decides the transition itself. */
export const HANDLERS: Record<string, (a: HandlerArgs) => Promise<HandlerResult>> = {
  async submit({ trx, c, now }) {
    if (!(await hasLetter(trx, c.id))) {
      throw new AppError('LETTER_REQUIRED', 'Attach the signed request letter before submitting', {
        details: { fields: [{ path: 'letter', message: 'required' }] },
      });
    }
    return { patch: { submitted_at: now }, outputs: { letter: 'Surat' } };
  },

  async resubmit({ payload, now }) {
    return {
      patch: { submitted_at: now, ...(payload.description ? { description: s(payload.description) } : {}) },
      outputs: { changes: payload.changes },
    };
  },

  async register({ trx, c, payload, deps, now }) {
    const receivedAt = new Date(s(payload.receivedAt));
    if (receivedAt.getTime() > now.getTime() + 5 * 60_000) {
      throw fieldError('INVALID_DATE', 'receivedAt', 'cannot be in the future');
    }
    const day = localDate(receivedAt, deps.timeZone);
    if (day < c.letter_date)
      throw fieldError('INVALID_DATE', 'receivedAt', 'cannot be before the letter date');
    const year = Number(day.slice(0, 4));
    const seq = await nextNumber(trx, 'agenda', year);
    const agendaNumber = formatNumber(deps.agendaPattern, seq, day);
    return {
      patch: {
        agenda_number: agendaNumber,
        agenda_year: year,
        agenda_seq: seq,
        received_at: receivedAt,
        urgency: s(payload.urgency),
        addressee: s(payload.addressee),
      },
      outputs: { agendaNumber, electronicDocument: true, dispositionSheet: true },
    };
  },

  async dispose({ trx, c, payload, ctx }) {
    const unit = await findOrgById(trx, 'units', s(payload.toUnitId));
    if (!unit?.active) throw fieldError('REFERENCE_INVALID', 'toUnitId', 'no such active unit');
    // Only a unit that works in the lane of the next step can carry it (the review is the
    // application division's, whatever unit a click might name).
    const sop = sopOf(c);
    const action = sop.actions.find((a) => a.key === 'dispose');
    const carriers = action ? unitsFor(sop, caseState(c), action) : [];
    if (!carriers.includes(unit.code)) {
      throw fieldError(
        'REFERENCE_INVALID',
        'toUnitId',
        `this unit cannot carry the next step (${carriers.join(', ')})`,
      );
    }
    await insertDisposition(trx, {
      caseId: c.id,
      fromUserId: ctx.actor.id,
      toUnitId: unit.id,
      instruction: s(payload.instruction),
      note: opt(payload.note),
      dueDate: opt(payload.dueDate),
    });
    return { outputs: { disposedTo: unit.name, instruction: payload.instruction } };
  },

  async dispose_on({ trx, c, payload, ctx }) {
    await assertStaff(trx, [s(payload.toUserId)], ['subkoor', 'staf'], 'toUserId');
    await insertDisposition(trx, {
      caseId: c.id,
      fromUserId: ctx.actor.id,
      toUserId: s(payload.toUserId),
      instruction: s(payload.instruction),
      note: opt(payload.note),
      dueDate: opt(payload.dueDate),
    });
    return { outputs: { disposedOnTo: payload.toUserId, instruction: payload.instruction } };
  },

  async review({ payload }) {
    return { outputs: { findings: payload.findings, recommendation: payload.recommendation } };
  },

  async decide({ trx, c, payload, ctx, now }) {
    // The step is ended later by whoever sends the letter; it keeps its decider too.
    if (c.current_step_id) await markStepDecided(trx, c.current_step_id, { by: ctx.actor.id, at: now });
    return {
      patch: {
        decision: payload.decision as CaseTable['decision'] & string,
        decision_reason: opt(payload.reason) ?? null,
        decided_at: now,
        decided_by: ctx.actor.id,
      },
      outputs: { decision: payload.decision, reason: payload.reason ?? null },
    };
  },

  async send_letter({ trx, payload, deps, now }) {
    const day = s(payload.letterDate);
    if (day > localDate(now, deps.timeZone))
      throw fieldError('INVALID_DATE', 'letterDate', 'cannot be in the future');
    // The outgoing number follows the tata naskah dinas pattern, running per year, never reused.
    const { numbering } = await readDocumentSettings(trx);
    const seq = await nextNumber(trx, 'surat_keluar', Number(day.slice(0, 4)));
    const number = formatNumber(numbering.pattern, seq, day, {
      klasifikasi: numbering.classification,
      unit: numbering.unit,
    });
    return {
      patch: { tl_number: number, tl_date: day, tl_sent_at: now },
      outputs: { followUpLetter: number },
    };
  },

  async start_work({ trx, c, payload, ctx, deps }) {
    const team = [...new Set(payload.teamUserIds as string[])];
    await assertStaff(trx, team, ['kabid', 'subkoor', 'staf'], 'teamUserIds');
    await replaceTeam(trx, c.id, team);
    // A new website gets its planned record in the registry now; an update is tied to its website.
    const link = await linkWebsiteAtStart(
      trx,
      c,
      { websiteExists: payload.websiteExists === true, websiteId: opt(payload.websiteId) },
      ctx,
      deps.registry,
    );
    return {
      patch: { website_id: link.websiteId, website_ref: link.websiteRef },
      outputs: {
        path: payload.websiteExists ? 'update' : 'create',
        team,
        websiteId: link.websiteId,
        websiteRef: link.websiteRef,
        ...(link.created ? { plannedWebsite: true } : {}),
        ...(link.note ? { registryNote: link.note } : {}),
      },
    };
  },

  async save_kak({ trx, c, payload, ctx }) {
    const version = c.kak_versions + 1;
    await insertKak(trx, { caseId: c.id, version, content: payload, createdBy: ctx.actor.id });
    return { outputs: { kakVersion: version } };
  },

  async complete_analysis({ c, payload }) {
    return { outputs: { kakVersion: c.kak_versions, notes: payload.notes ?? null } };
  },

  async complete_build({ trx, c, payload, ctx, deps }) {
    await recordBuild(trx, c, { cms: s(payload.cms), template: s(payload.template) }, ctx, deps.registry);
    return { outputs: { template: payload.template, cms: payload.cms, notes: payload.notes ?? null } };
  },

  async record_installation({ trx, c, payload, ctx, deps }) {
    // Server, address and name come from the registry; the website becomes active.
    const w = await installWebsite(
      trx,
      c,
      {
        serverId: s(payload.serverId),
        hostname: opt(payload.hostname),
        ipAddress: opt(payload.ipAddress),
        poolId: opt(payload.poolId),
        documentRoot: opt(payload.documentRoot),
      },
      ctx,
      deps.registry,
    );
    return {
      patch: { website_ref: w.hostname },
      outputs: {
        server: w.server?.name ?? null,
        publicIp: w.ipAddress,
        hostname: w.hostname,
        url: w.hostname ? `https://${w.hostname}` : null,
        networkConfig: payload.networkConfig,
        siteAnswers: payload.siteAnswers,
        notes: payload.notes ?? null,
      },
    };
  },

  async report({ payload }) {
    return { outputs: { summary: payload.summary } };
  },

  async close({ payload, now }) {
    return { patch: { closed_at: now }, outputs: { notes: payload.notes ?? null } };
  },
};
