import { AppError } from '../errors.ts';
import type { SopDef } from './types.ts';
import { WEBSITE_SOP_V1 } from './website-sop.ts';

/**
 * Every SOP definition Loket knows, every version. A case keeps the version it started with, so a
 * definition is never changed in place: a change is a new version appended here.
 */
const DEFINITIONS: SopDef[] = [WEBSITE_SOP_V1];

/**
 * Adds a new version of an SOP (e.g. with changed standard times); it must be newer than every
 * version known. New cases take it; running cases keep theirs.
 */
export function addSopVersion(def: SopDef): void {
  const newest = DEFINITIONS.filter((d) => d.key === def.key).reduce((n, d) => Math.max(n, d.version), 0);
  if (def.version <= newest) throw new Error(`SOP ${def.key} v${def.version} is not newer than v${newest}`);
  DEFINITIONS.push(def);
}

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

export function hasSopVersion(key: string, version: number): boolean {
  return DEFINITIONS.some((d) => d.key === key && d.version === version);
}

export function allCurrentSops(): SopDef[] {
  const keys = [...new Set(DEFINITIONS.map((d) => d.key))];
  return keys.map(currentSop);
}
