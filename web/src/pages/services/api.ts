/**
 * The services API (docs/adr/0015-sops-as-data.md): the catalogue every signed-in user reads, and what the
 * administrator's SOP designer uses to read, check, preview, publish, retire and reactivate a definition.
 * The definition's and the block catalogue's shapes are the server's own (`src/sop/definition.ts`, `z.input`;
 * `src/sop/services.ts`, `blockOut`): type-only imports, erased from the bundle — not a hand copy.
 */
import type {
  DefinitionProblem,
  FieldDef,
  SopDefinitionInput,
  StandardTime,
} from '../../../../src/sop/definition.ts';
import type { BlockOut } from '../../../../src/sop/services.ts';
import { request } from '../../api/client.ts';
import type { JsonSchema, Service } from '../../api/types.ts';

export type { DefinitionProblem, FieldDef, StandardTime };

/** A definition as the designer edits it (what `GET /api/services/:key` answers and PUT takes). */
export type Definition = SopDefinitionInput;
export type StepInput = Definition['steps'][number];
export type LaneInput = Definition['lanes'][number];
/** A diamond after a step: the question, the field it reads and the ways out. */
export type BranchInput = NonNullable<StepInput['branch']>;
export type BranchOutcomeInput = BranchInput['outcomes'][number];

/** One service of `GET /api/services` (the web's type, inferred from the server's schema). */
export type CatalogueService = Service;

/** One block of `GET /api/sop-blocks` (the server's `blockOut`), its `config` a JSON Schema. */
export type SopBlock = Omit<BlockOut, 'config'> & { config: JsonSchema };

const path = (key: string) => `/api/services/${encodeURIComponent(key)}`;

export const servicesApi = {
  catalogue: (options: { includeRetired?: boolean } = {}) =>
    request<CatalogueService[]>('GET', '/api/services', {
      query: options.includeRetired ? { retired: 'include' } : undefined,
    }),
  definition: (key: string) => request<Definition>('GET', path(key)),
  publish: (key: string, definition: Definition) =>
    request<{ key: string; version: number }>('PUT', path(key), { body: definition }),
  validate: (key: string, definition: Definition, signal?: AbortSignal) =>
    request<{ problems: DefinitionProblem[] }>('POST', `${path(key)}/validate`, { body: definition, signal }),
  retire: (key: string) => request<unknown>('POST', `${path(key)}/retire`),
  reactivate: (key: string) => request<unknown>('POST', `${path(key)}/reactivate`),
  blocks: () => request<SopBlock[]>('GET', '/api/sop-blocks'),
  /** The printed SOP sheet of an unsaved definition, as a PDF. */
  sheetPreview: async (key: string, definition: Definition, signal?: AbortSignal): Promise<Blob> => {
    const response = await fetch(`${path(key)}/sheet-preview`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/pdf' },
      credentials: 'same-origin',
      body: JSON.stringify(definition),
      signal,
    });
    if (!response.ok) {
      const error = new Error(`sheet-preview ${response.status}`) as Error & { status: number };
      error.status = response.status;
      throw error;
    }
    return response.blob();
  },
};

export const catalogueQueryKey = ['services', 'catalogue'] as const;

/** Fields of a new request for any service: the letter's, `service`, and the service's own (flattened). */
export type ServiceCaseInput = {
  service: string;
  subject: string;
  letterNumber: string;
  letterDate: string;
  description: string;
  [field: string]: unknown;
};
