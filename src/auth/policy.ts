import type { Role } from '../db/schema.ts';
import { forbidden } from '../errors.ts';
import type { Actor } from '../shared/context.ts';

/** Small declarative rules; services call them before they read or write. */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) throw forbidden();
}

export function requireAdmin(actor: Actor): void {
  requireRole(actor, 'admin');
}

/** DKISP staff: anyone signed in who is not an OPD requester. */
export function isDkisp(actor: Actor): boolean {
  return actor.opdId === null && !actor.roles.includes('opd');
}

export function requireDkisp(actor: Actor): void {
  if (!isDkisp(actor)) throw forbidden();
}

/**
 * The OPD an actor is confined to, or null when it may see every OPD. An OPD user without an OPD
 * can never exist (the database forbids it), but fail closed all the same.
 */
export function opdScope(actor: Actor): string | null {
  if (actor.roles.includes('opd')) {
    if (!actor.opdId) throw forbidden();
    return actor.opdId;
  }
  return null;
}

/**
 * Who an answer is shaped for (docs/adr/0009-what-the-opd-sees.md): DKISP staff and administrators
 * see a record whole; an OPD user sees its requests' progress and what is addressed to it, not
 * DKISP's internal deliberation, people's accounts or technical errors. Presenters take this one
 * decision; routes and the web never decide it.
 */
export type Audience = 'staff' | 'opd';

export function audienceOf(actor: Actor): Audience {
  return isDkisp(actor) ? 'staff' : 'opd';
}
