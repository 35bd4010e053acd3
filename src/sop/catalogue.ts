import { AppError } from '../errors.ts';
import type { SopDef } from './types.ts';
import { WEBSITE_SOP_V1 } from './website-sop.ts';

/**
 * Every SOP definition Loket knows, every version. A case keeps the version it started with, so a
 * definition is never changed in place: a change is a new version appended here.
 */
const DEFINITIONS: readonly SopDef[] = [WEBSITE_SOP_V1];

export function currentSop(key: string): SopDef {
  const versions = DEFINITIONS.filter((d) => d.key === key).sort((a, b) => b.version - a.version);
  const latest = versions[0];
  if (!latest) throw new AppError('NOT_FOUND', `No SOP ${key}`);
  return latest;
}

export function sopVersion(key: string, version: number): SopDef {
  const def = DEFINITIONS.find((d) => d.key === key && d.version === version);
  if (!def) throw new Error(`SOP ${key} v${version} is not defined`);
  return def;
}

export function allCurrentSops(): SopDef[] {
  const keys = [...new Set(DEFINITIONS.map((d) => d.key))];
  return keys.map(currentSop);
}
