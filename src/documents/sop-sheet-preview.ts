import type { Kysely } from 'kysely';
import { requireAdmin } from '../auth/policy.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Ctx } from '../shared/context.ts';
import { currentSop } from '../sop/catalogue.ts';
import { compileDefinition, compileProblems } from '../sop/compile.ts';
import { type DefinitionProblem, sopDefinitionSchema } from '../sop/definition.ts';
import type { FileStore } from '../storage/file-store.ts';
import { readDocumentSettings } from './document-settings.ts';
import { letterheadOf } from './issue-document.ts';
import { renderSopSheet } from './render/sop-sheet.ts';
import { sopSheetData } from './sop-sheet-data.ts';

// The SOP designer's preview: the printed sheet of a definition that is not published yet, as the
// administrator types. Nothing is stored or numbered; the sheet is marked PRATINJAU (a watermark on
// every page, no verification mark), with the version publishing it would create.

function invalid(problems: DefinitionProblem[]): AppError {
  return new AppError('DEFINITION_INVALID', 'The definition has problems', { details: { fields: problems } });
}

/** The version publishing `key` would create: the current one + 1, or 1 for a new service. */
function nextVersion(key: string): number {
  try {
    return currentSop(key).version + 1;
  } catch {
    return 1;
  }
}

/**
 * The draft sheet of an unsaved definition for service `key` (administrators). A definition that
 * does not parse or does not compile is refused with 422 DEFINITION_INVALID, its problems named.
 */
export async function previewSopSheet(
  db: Kysely<Database>,
  files: FileStore,
  key: string,
  input: unknown,
  ctx: Ctx,
): Promise<Buffer> {
  requireAdmin(ctx.actor);
  const parsed = sopDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  if (parsed.data.key !== key)
    throw invalid([{ path: 'key', message: `must be ${key}, the service previewed` }]);
  // Every problem that keeps it from compiling, each at its path. (Publishing checks more — steps
  // that cannot be reached, … — through validateDefinition; a sheet can be drawn without that.)
  const problems = compileProblems(parsed.data);
  if (problems.length > 0) throw invalid(problems);
  let sop: ReturnType<typeof compileDefinition>;
  try {
    sop = compileDefinition(parsed.data, nextVersion(key));
  } catch (e) {
    throw invalid([{ path: '', message: e instanceof Error ? e.message : String(e) }]);
  }
  const letterhead = await letterheadOf(await readDocumentSettings(db), files);
  return renderSopSheet(sopSheetData(sop, letterhead, null, { draft: true }));
}
