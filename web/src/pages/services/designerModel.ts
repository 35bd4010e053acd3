/**
 * The SOP designer's model: a definition edited in place by path, a new service's starting point, and the
 * server's problems indexed by the path of the field they belong to.
 */
import type { Definition, DefinitionProblem, StepInput } from './api.ts';

export type Path = (string | number)[];

export function pathText(path: Path): string {
  return path.join('.');
}

export function getAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A copy of `value` with `path` set to `next` (undefined removes an object's key). */
export function setAt<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = setAt(copy[head as number], rest, next);
    return copy as T;
  }
  const base = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const child = setAt(base[head], rest, next);
  const copy: Record<string, unknown> = { ...base, [head]: child };
  if (child === undefined) delete copy[head];
  return copy as T;
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return [...list];
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** Problems by path; `at` is exact, `under` is the field and everything inside it. */
export class ProblemIndex {
  constructor(readonly problems: DefinitionProblem[]) {}

  at(path: Path | string): string | undefined {
    const key = typeof path === 'string' ? path : pathText(path);
    const found = this.problems.filter((p) => p.path === key).map((p) => p.message);
    return found.length ? found.join(' · ') : undefined;
  }

  under(path: Path | string): string | undefined {
    const key = typeof path === 'string' ? path : pathText(path);
    const found = this.problems
      .filter((p) => p.path === key || p.path.startsWith(`${key}.`))
      .map((p) => (p.path === key ? p.message : `${p.path.slice(key.length + 1)}: ${p.message}`));
    return found.length ? found.join(' · ') : undefined;
  }

  count(path: Path | string): number {
    const key = typeof path === 'string' ? path : pathText(path);
    return this.problems.filter((p) => p.path === key || p.path.startsWith(`${key}.`)).length;
  }
}

export function newStep(index: number, lane: string, block: string): StepInput {
  return {
    key: `tahap_${index + 1}`,
    title: { id: '', en: '' },
    lane,
    block,
    config: {},
    standardTime: { minutes: 60 },
    inputs: [],
    outputs: [],
  };
}

/** Where a new service starts: the OPD's request and the closing, two lanes. */
export function newDefinition(): Definition {
  return {
    key: '',
    title: { id: '', en: '' },
    requirements: [],
    refPrefix: '',
    lanes: [
      { key: 'opd', title: { id: 'OPD', en: 'OPD' }, roles: ['opd'], units: [] },
      { key: 'umum', title: { id: 'Bagian Umum', en: 'General Affairs' }, roles: ['umum'], units: [] },
    ],
    steps: [
      {
        key: 'permohonan',
        title: { id: 'OPD mengajukan surat permohonan', en: 'The OPD submits the request letter' },
        lane: 'opd',
        block: 'request',
        config: { fields: [] },
        standardTime: { minutes: 15 },
        inputs: [],
        outputs: ['Surat permohonan'],
      },
      {
        key: 'selesai',
        title: { id: 'Permohonan selesai', en: 'The request is closed' },
        lane: 'umum',
        block: 'closing',
        config: {},
        standardTime: { minutes: 15 },
        inputs: [],
        outputs: [],
      },
    ],
    related: [],
    equipment: [],
    warnings: [],
    records: [],
  };
}

/** Lines of a textarea → list items (blank lines dropped). */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Reads an imported JSON file: a definition-shaped object, or an error message. */
export function parseImported(text: string): Definition | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'json';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'shape';
  const def = value as Record<string, unknown>;
  if (typeof def.key !== 'string' || !Array.isArray(def.steps) || !Array.isArray(def.lanes)) return 'shape';
  return def as unknown as Definition;
}
