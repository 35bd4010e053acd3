import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { FileSpec } from '../sop/types.ts';
import { insertCaseFile, supersedeLetters } from './case.repository.ts';
import type { CaseDeps, IncomingFile } from './case-deps.ts';

/**
 * Checks received files against what the action accepts: known fields only, no more than allowed,
 * the right kinds (by content), the required ones present.
 */
export function checkFiles(files: readonly IncomingFile[], specs: readonly FileSpec[]): void {
  for (const f of files) {
    const spec = specs.find((s) => s.field === f.field);
    if (!spec) {
      throw new AppError('FILE_FIELD_UNEXPECTED', `This action takes no file "${f.field}"`, {
        details: { fields: [{ path: f.field, message: 'not expected' }] },
      });
    }
    if (!(spec.kinds as readonly string[]).includes(f.type)) {
      throw new AppError('FILE_TYPE_NOT_ALLOWED', `${f.displayName}: allowed are ${spec.kinds.join(', ')}`, {
        details: { fields: [{ path: f.field, message: `allowed: ${spec.kinds.join(', ')}` }] },
      });
    }
  }
  for (const spec of specs) {
    const n = files.filter((f) => f.field === spec.field).length;
    if (spec.required && n === 0) {
      throw new AppError('VALIDATION_FAILED', `A file is required in "${spec.field}"`, {
        details: { fields: [{ path: spec.field, message: 'required' }] },
      });
    }
    if (n > spec.max) {
      throw new AppError('VALIDATION_FAILED', `At most ${spec.max} file(s) in "${spec.field}"`, {
        details: { fields: [{ path: spec.field, message: `at most ${spec.max}` }] },
      });
    }
  }
}

/**
 * Moves received files into the store and records them on the case. Keys already stored are pushed
 * to `stored`, so the caller can remove them if the transaction fails afterwards.
 */
export async function keepFiles(
  trx: Kysely<Database>,
  deps: CaseDeps,
  v: {
    caseId: string;
    stepKey: string;
    userId: string;
    files: readonly IncomingFile[];
    specs: readonly FileSpec[];
  },
  stored: string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const f of v.files) {
    const purpose = v.specs.find((s) => s.field === f.field)?.purpose ?? 'attachment';
    if (purpose === 'letter') await supersedeLetters(trx, v.caseId);
    const { key } = await deps.store.put(f.tempPath);
    stored.push(key);
    const id = crypto.randomUUID();
    await insertCaseFile(trx, {
      id,
      case_id: v.caseId,
      purpose,
      storage_key: key,
      display_name: f.displayName,
      mime: f.mime,
      size: f.size,
      sha256: f.sha256,
      step_key: v.stepKey,
      uploaded_by: v.userId,
    });
    ids.push(id);
  }
  return ids;
}

/** Removes stored files of a change that did not commit. */
export async function forgetStored(deps: CaseDeps, keys: string[]): Promise<void> {
  await Promise.all(keys.map((k) => deps.store.remove(k).catch(() => {})));
}
