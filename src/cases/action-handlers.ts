import type { Kysely, Updateable } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import type { ActionDef, SopDef, StepDef } from '../sop/types.ts';
import { type CaseRow, findActiveUsers } from './case.repository.ts';
import type { CaseTable } from './case.tables.ts';
import type { CaseDeps } from './case-deps.ts';

// The database side of the blocks' actions (docs/adr/0016-sop-blocks.md): each block's handlers
// live in src/cases/blocks/<block>.ts, found by block and action name (never by API key).

/** What an action's own rules add to the generic transition. */
export type HandlerResult = {
  patch?: Updateable<CaseTable>;
  /** Merged into the case's facts (`cases.facts`). */
  facts?: Record<string, unknown>;
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
  /** The SOP version the case runs on, the step and the action being performed. */
  sop: SopDef;
  step: StepDef;
  action: ActionDef;
};

export type Handler = (a: HandlerArgs) => Promise<HandlerResult>;

export function fieldError(
  code: 'REFERENCE_INVALID' | 'INVALID_DATE' | 'LETTER_DATE_IN_FUTURE',
  path: string,
  message: string,
) {
  return new AppError(code, message, { details: { fields: [{ path, message }] } });
}

/** Every id must be an active DKISP user holding one of `roles`. */
export async function assertStaff(
  trx: Kysely<Database>,
  ids: string[],
  roles: readonly Role[],
  path: string,
): Promise<void> {
  const found = await findActiveUsers(trx, ids);
  const ok = found.filter((u) => u.roles.some((r) => roles.includes(r)));
  if (ok.length !== new Set(ids).size) {
    throw fieldError('REFERENCE_INVALID', path, `must be active ${roles.join('/')} staff`);
  }
}

export const str = (v: unknown) => v as string;
export const opt = (v: unknown) => (v === undefined ? undefined : (v as string));
