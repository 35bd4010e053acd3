import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import { requireAdmin } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { findOrgsByCodes, insertOrg, lockOrgCodes, updateOrg } from './org.repository.ts';
import { orgCode, orgName } from './org.schemas.ts';

export type ImportRow = {
  line: number;
  code: string;
  name: string;
  active: boolean;
  action: 'create' | 'update' | 'unchanged' | 'error';
  errors: string[];
};

export type ImportResult = {
  rows: ImportRow[];
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
};

const MAX_ROWS = 5000;
const HEADERS: Record<string, 'code' | 'name' | 'active'> = {
  code: 'code',
  kode: 'code',
  name: 'name',
  nama: 'name',
  active: 'active',
  aktif: 'active',
};
const TRUE = new Set(['', 'true', '1', 'ya', 'yes', 'aktif', 'y']);
const FALSE = new Set(['false', '0', 'tidak', 'no', 'nonaktif', 'non-aktif', 'n']);

/** Parses the CSV into rows with their own errors; nothing is read from or written to the database. */
export function parseOpdCsv(csv: string): ImportRow[] {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), {
      delimiter: [',', ';'],
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw new AppError('IMPORT_INVALID', `The file is not valid CSV: ${(e as Error).message}`, {
      details: { rows: [] },
    });
  }
  const [header, ...body] = records;
  const cols = (header ?? []).map((h) => HEADERS[h.toLowerCase()]);
  if (!cols.includes('code') || !cols.includes('name')) {
    throw new AppError('IMPORT_INVALID', 'The first line must name the columns: code,name[,active]', {
      details: { rows: [] },
    });
  }
  if (body.length === 0)
    throw new AppError('IMPORT_INVALID', 'The file has no rows', { details: { rows: [] } });
  if (body.length > MAX_ROWS) {
    throw new AppError('IMPORT_INVALID', `At most ${MAX_ROWS} rows per import`, { details: { rows: [] } });
  }
  const seen = new Map<string, number>();
  return body.map((rec, i) => {
    const line = i + 2;
    const get = (c: 'code' | 'name' | 'active') => {
      const idx = cols.indexOf(c);
      return idx >= 0 ? (rec[idx] ?? '') : '';
    };
    const errors: string[] = [];
    const code = get('code').toUpperCase();
    const name = get('name');
    const activeText = get('active').toLowerCase();
    const codeCheck = orgCode.safeParse(code);
    if (!codeCheck.success) errors.push(`code: ${codeCheck.error.issues[0]?.message}`);
    const nameCheck = orgName.safeParse(name);
    if (!nameCheck.success) errors.push(`name: ${nameCheck.error.issues[0]?.message}`);
    let active = true;
    if (FALSE.has(activeText)) active = false;
    else if (!TRUE.has(activeText)) errors.push('active: use true/false (ya/tidak)');
    const dup = seen.get(code);
    if (dup !== undefined) errors.push(`code: repeats line ${dup}`);
    else seen.set(code, line);
    return { line, code, name, active, action: errors.length ? 'error' : 'create', errors };
  });
}

/**
 * Imports OPDs from CSV: every row is checked first and the preview is returned; with
 * `dryRun: false` and no errors all rows are written in the caller's transaction, or none are.
 * Existing codes are updated (name, active).
 */
export async function importOpds(
  trx: Kysely<Database>,
  input: { csv: string; dryRun: boolean },
  ctx: Ctx,
): Promise<ImportResult> {
  requireAdmin(ctx.actor);
  const rows = parseOpdCsv(input.csv);
  if (!input.dryRun) await lockOrgCodes(trx, 'opds');
  const valid = rows.filter((r) => r.action !== 'error');
  const existing = new Map(
    (
      await findOrgsByCodes(
        trx,
        'opds',
        valid.map((r) => r.code),
      )
    ).map((o) => [o.code, o]),
  );
  for (const r of valid) {
    const cur = existing.get(r.code);
    if (cur) r.action = cur.name === r.name && cur.active === r.active ? 'unchanged' : 'update';
  }
  const result: ImportResult = {
    rows,
    created: rows.filter((r) => r.action === 'create').length,
    updated: rows.filter((r) => r.action === 'update').length,
    unchanged: rows.filter((r) => r.action === 'unchanged').length,
    errors: rows.filter((r) => r.action === 'error').length,
  };
  if (input.dryRun) return result;
  if (result.errors > 0) {
    throw new AppError('IMPORT_INVALID', `${result.errors} row(s) have errors; nothing was imported`, {
      details: { ...result },
    });
  }
  for (const r of rows) {
    const cur = existing.get(r.code);
    if (r.action === 'create') await insertOrg(trx, 'opds', { code: r.code, name: r.name, active: r.active });
    else if (r.action === 'update' && cur)
      await updateOrg(trx, 'opds', cur.id, { name: r.name, active: r.active });
  }
  await recordAudit(trx, ctx, {
    action: 'opd.import',
    entityType: 'opd',
    details: {
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      codes: rows.filter((r) => r.action !== 'unchanged').map((r) => r.code),
    },
  });
  return result;
}
