import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileDefinition } from '../sop/compile.ts';
import { sopDefinitionSchema } from '../sop/definition.ts';
import {
  draftPatchSchemaOf,
  factsSchemaOf,
  requestFieldsOf,
  requestInputJsonSchema,
  requestSchemaOf,
} from './request-schema.ts';

// The website SOP's request body compiled from its definition's request fields is the body the API
// took before SOPs were data (the schema below, as it was in case.schemas.ts): the same inputs pass,
// the same ones fail at the same field with the same message.

const website = compileDefinition(
  sopDefinitionSchema.parse(
    JSON.parse(fs.readFileSync(new URL('../sop/definitions/website.json', import.meta.url), 'utf8')),
  ),
  1,
);

const text = (max: number) => z.string().trim().min(1, 'required').max(max);
const legacy = z
  .strictObject({
    kind: z.enum(['new', 'update']),
    subject: text(500),
    letterNumber: text(100),
    letterDate: z.iso.date('use YYYY-MM-DD'),
    description: text(20_000),
    websiteId: z
      .union([z.uuid('pick one of your websites'), z.literal('')])
      .transform((v) => (v ? v : undefined))
      .optional(),
    requestedHostname: z
      .string()
      .trim()
      .max(253)
      .transform((v) => (v ? v : undefined))
      .optional(),
  })
  .refine((v) => v.kind === 'new' || v.websiteId, {
    path: ['websiteId'],
    message: 'pick the website to update',
  });

const letter = { subject: ' Website ', letterNumber: '1/2026', letterDate: '2026-12-01', description: 'x' };
const id = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const bodies: Record<string, unknown>[] = [
  { ...letter, kind: 'new' },
  { ...letter, kind: 'new', requestedHostname: '  baru.example-kab.go.id ' },
  { ...letter, kind: 'new', requestedHostname: '' },
  { ...letter, kind: 'new', requestedHostname: '   ' },
  { ...letter, kind: 'new', requestedHostname: `${'a'.repeat(254)}` },
  { ...letter, kind: 'update', websiteId: id },
  { ...letter, kind: 'update' },
  { ...letter, kind: 'update', websiteId: '' },
  { ...letter, kind: 'update', websiteId: 'bukan-id' },
  { ...letter, kind: 'lain' },
  { ...letter },
  { ...letter, kind: 'new', extra: 1 },
  { ...letter, kind: 'new', subject: '  ' },
  { ...letter, kind: 'new', letterDate: '1/12/2026' },
  { kind: 'new' },
];

const issuesOf = (r: { success: boolean; error?: z.ZodError }) =>
  r.success ? [] : (r.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('the website SOP’s request body, compiled from its definition', () => {
  it('declares kind, websiteId and requestedHostname', () => {
    expect(requestFieldsOf(website).map((f) => [f.key, f.type])).toEqual([
      ['kind', 'choice'],
      ['websiteId', 'website'],
      ['requestedHostname', 'hostname'],
    ]);
  });

  it.each(bodies.map((b, i) => [i, b] as const))('body %i passes or fails as before', (_i, body) => {
    const before = legacy.safeParse(body);
    const now = requestSchemaOf(website).safeParse(body);
    expect(now.success).toBe(before.success);
    expect(issuesOf(now)).toEqual(issuesOf(before));
    if (before.success && now.success) {
      const { kind, websiteId, requestedHostname, ...common } = before.data;
      expect({ ...now.data, facts: undefined }).toEqual({ service: 'website', ...common, facts: undefined });
      // A website picked for an update is not kept by a request for a new one.
      expect(now.data.facts).toEqual(
        Object.fromEntries(
          Object.entries({
            kind,
            websiteId: kind === 'update' ? websiteId : undefined,
            requestedHostname,
          }).filter(([, v]) => v !== undefined),
        ),
      );
    }
  });

  it('a new request forgets the website picked while it was an update', () => {
    const r = requestSchemaOf(website).parse({ ...letter, kind: 'new', websiteId: id });
    expect(r.facts).toEqual({ kind: 'new' });
  });

  it('serves the facts as JSON Schema with the UI hints', () => {
    const j = requestInputJsonSchema(website) as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(Object.keys(j.properties)).toEqual(['kind', 'websiteId', 'requestedHostname']);
    expect(j.required).toEqual(['kind']);
    expect(j.properties.kind).toMatchObject({ enum: ['new', 'update'], 'x-loket-widget': 'radio' });
    expect(j.properties.websiteId).toMatchObject({
      'x-loket-picker': 'website',
      'x-loket-requiredWhen': { field: 'kind', equals: 'update' },
      'x-loket-label': { id: 'Website yang diperbarui', en: 'The website to update' },
    });
    expect(j.properties.requestedHostname).toMatchObject({ 'x-loket-picker': 'hostname' });
  });

  it('a draft edit sends only what changes; null or an empty text clears an optional fact', () => {
    const patch = draftPatchSchemaOf(website);
    expect(patch.parse({ version: '3', subject: 'Baru' })).toEqual({
      version: 3,
      subject: 'Baru',
      letterNumber: undefined,
      letterDate: undefined,
      description: undefined,
      facts: {},
    });
    expect(patch.parse({ version: 3, requestedHostname: '' }).facts).toEqual({ requestedHostname: null });
    expect(patch.parse({ version: 3, requestedHostname: null }).facts).toEqual({ requestedHostname: null });
    expect(patch.parse({ version: 3, kind: 'update', websiteId: id }).facts).toEqual({
      kind: 'update',
      websiteId: id,
    });
    expect(issuesOf(patch.safeParse({ version: 3, kind: null }))).toHaveLength(1);
    expect(issuesOf(patch.safeParse({ version: 3, service: 'website' }))).toHaveLength(1);
    expect(issuesOf(factsSchemaOf(website).safeParse({ kind: 'update' }))).toEqual([
      { path: 'websiteId', message: 'pick the website to update' },
    ]);
  });
});
