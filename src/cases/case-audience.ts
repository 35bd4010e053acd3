import type { Audience } from '../auth/policy.ts';
import type { Role } from '../db/schema.ts';
import type { SopDef } from '../sop/types.ts';

// What an OPD may see of its own case, as data (docs/adr/0009-what-the-opd-sees.md). The case
// presenter applies these rules when the audience is 'opd'; DKISP staff see everything.

/** A person as the presenter reads them from the database (nullable: outer joins). */
export type PersonCols = {
  p_id: string | null;
  p_username: string | null;
  p_name: string | null;
  p_roles?: readonly string[] | null;
  p_opd_id?: string | null;
};

/** A person as an answer shows them. An OPD sees DKISP staff by position only (no id, no account). */
export type PersonOut = { id?: string; username?: string; fullName: string; role?: Role };

/** Positions as an OPD sees DKISP staff, most senior first (a person with several roles is shown by the first). */
const POSITIONS: readonly [Role, string][] = [
  ['kepala', 'Kepala DKISP'],
  ['kabid', 'Kepala Bidang Aplikasi Informatika'],
  ['subkoor', 'Sub Koordinator Bidang Aplikasi Informatika'],
  ['staf', 'Staf Bidang Aplikasi Informatika'],
  ['umum', 'Bagian Umum'],
  ['admin', 'Administrator DKISP'],
];

/** DKISP's position for a set of roles (the OPD's view of a staff member). */
export function positionOf(roles: readonly string[]): { role: Role; label: string } {
  for (const [role, label] of POSITIONS) if (roles.includes(role)) return { role, label };
  return { role: 'admin', label: 'DKISP' };
}

/**
 * A person for this audience. Staff see id, username and name. An OPD sees its own colleagues by
 * name (never their username) and DKISP staff by position: "Bagian Umum", "Kepala DKISP", …
 */
export function personFor(aud: Audience, r: PersonCols): PersonOut | null {
  if (!r.p_id || !r.p_username || !r.p_name) return null;
  if (aud === 'staff') return { id: r.p_id, username: r.p_username, fullName: r.p_name };
  const roles = r.p_roles ?? [];
  if (roles.includes('opd') || r.p_opd_id) return { fullName: r.p_name, role: 'opd' };
  const p = positionOf(roles);
  return { fullName: p.label, role: p.role };
}

/**
 * The history events that are not SOP actions (the draft's creation and edits), and which of
 * their recorded outputs an OPD sees. An SOP action says it itself (`ActionDef.opdSees`, set by
 * its block): e.g. `decide` (the decision reaches the OPD through the follow-up letter),
 * `dispose_on` (internal hand-over) and the KAK's `save` (DKISP's working draft) are hidden.
 */
const CASE_EVENTS: Readonly<Record<string, readonly string[]>> = {
  create: ['subject'],
  edit: [],
};

/** What an OPD sees of an action's outputs, by the action's key at a step (null: hidden). */
function opdSees(sop: SopDef, action: string, stepKey: string | null): readonly string[] | null {
  const event = CASE_EVENTS[action];
  if (event) return event;
  const a =
    sop.actions.find((x) => x.key === action && x.step === stepKey) ??
    sop.actions.find((x) => x.key === action);
  return a?.opdSees || null;
}

/** The part of an action's recorded outputs this audience sees, or null when the action is hidden. */
export function outputsFor(
  aud: Audience,
  sop: SopDef,
  action: string,
  stepKey: string | null,
  outputs: Record<string, unknown>,
): Record<string, unknown> | null {
  if (aud === 'staff') return outputs;
  const allowed = opdSees(sop, action, stepKey);
  if (!allowed) return null;
  return Object.fromEntries(Object.entries(outputs).filter(([k]) => allowed.includes(k)));
}

/** A step's outputs (keyed by the actions taken in it), filtered action by action. */
export function stepOutputsFor(
  aud: Audience,
  sop: SopDef,
  stepKey: string,
  outputs: Record<string, unknown>,
): Record<string, unknown> {
  if (aud === 'staff') return outputs;
  const out: Record<string, unknown> = {};
  for (const [action, v] of Object.entries(outputs)) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
    const shown = outputsFor(aud, sop, action, stepKey, v as Record<string, unknown>);
    if (shown) out[action] = shown;
  }
  return out;
}

/** Case files an OPD sees: the letters and attachments it sent. Build archives and report files are DKISP's. */
export const OPD_FILE_PURPOSES = ['letter', 'attachment'] as const;

export function fileVisibleTo(aud: Audience, purpose: string): boolean {
  return aud === 'staff' || (OPD_FILE_PURPOSES as readonly string[]).includes(purpose);
}

/** Official documents an OPD may list and download: those addressed to it. */
export const OPD_DOCUMENT_KINDS = ['follow_up_letter', 'berita_acara', 'recommendation'] as const;

export function documentVisibleTo(aud: Audience, kind: string): boolean {
  return aud === 'staff' || (OPD_DOCUMENT_KINDS as readonly string[]).includes(kind);
}

/**
 * Whether the OPD may see the case's decision: only once the follow-up letter that carries it has
 * been sent (a decision taken after the last letter — a new round after a revision — waits for
 * its own letter). In an SOP whose decisions go without a letter (`letter: false`: no
 * `send_letter` action), as soon as it is taken; pass the case's `sop` for that.
 */
export function decisionReleased(
  c: { decided_at: Date | null; tl_sent_at: Date | null },
  sop?: SopDef,
): boolean {
  if (sop && !sop.actions.some((a) => a.block === 'decision' && a.name === 'send_letter')) {
    return c.decided_at !== null;
  }
  if (c.tl_sent_at === null) return false;
  return c.decided_at === null || c.decided_at.getTime() <= c.tl_sent_at.getTime();
}
