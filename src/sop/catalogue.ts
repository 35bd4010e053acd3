import { readdirSync, readFileSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { compileDefinition } from './compile.ts';
import { sopDefinitionSchema } from './definition.ts';
import type { SopDef } from './types.ts';

/** The built-in definitions: every JSON file in src/sop/definitions/, each version 1. */
function builtIn(): SopDef[] {
  const dir = new URL('./definitions/', import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    // The website SOP first (the catalogue's order), then the others by name.
    .sort((a, b) => (a === 'website.json' ? -1 : b === 'website.json' ? 1 : a.localeCompare(b)));
  return files.map((f) => {
    const raw: unknown = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
    const parsed = sopDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`src/sop/definitions/${f}: ${i?.path.join('.')}: ${i?.message}`);
    }
    if (`${parsed.data.key}.json` !== f) throw new Error(`src/sop/definitions/${f}: key ${parsed.data.key}`);
    return compileDefinition(parsed.data, 1);
  });
}

/**
 * Every SOP definition Loket knows, every version. A case keeps the version it started with, so a
 * definition is never changed in place: a change is a new version appended here.
 */
const DEFINITIONS: SopDef[] = builtIn();

/** A built-in SOP as shipped (version 1), e.g. for tests and fixtures. */
export function builtInSop(key: string): SopDef {
  const def = DEFINITIONS.find((d) => d.key === key && d.version === 1);
  if (!def) throw new Error(`No built-in SOP ${key}`);
  return def;
}

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
