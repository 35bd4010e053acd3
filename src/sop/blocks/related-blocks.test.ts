import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileDefinition } from '../compile.ts';
import { type SopDefinition, type StepDefinition, sopDefinitionSchema } from '../definition.ts';
import type { BlockAction, BlockContext, BlockDef, CaseState } from '../types.ts';
import { checklist } from './checklist.ts';
import { handover } from './handover.ts';
import { BLOCKS } from './index.ts';
import { issueDocument } from './issue-document.ts';
import { provisioning } from './provisioning.ts';
import { addressAllocateInput, nameReserveInput, serverRecordInput } from './registry-effects.ts';
import { schedule } from './schedule.ts';

// The related services' blocks, pure: their configs, the actions they build, their guards and
// marks, and the problems they find in a definition.

const bi = (s: string) => ({ id: s, en: s });
const lane = { key: 'aptika', title: bi('Aptika'), roles: ['kabid', 'subkoor', 'staf'] as const, units: [] };

function sopWith(steps: Partial<StepDefinition>[]): SopDefinition {
  return sopDefinitionSchema.parse({
    key: 'uji',
    title: bi('Uji'),
    refPrefix: 'UJI',
    lanes: [lane],
    steps: steps.map((s, i) => ({
      key: `s${i}`,
      title: bi(`Step ${i}`),
      lane: 'aptika',
      block: 'report',
      standardTime: { minutes: 5 },
      ...s,
    })),
  });
}

/** Builds a block's actions for step `index` of `sop`, as compile would. */
function build<C>(block: BlockDef<C>, sop: SopDefinition, index: number) {
  const step = sop.steps[index] as StepDefinition;
  const cfg = block.config.parse(step.config);
  const at: BlockContext = {
    sop,
    step,
    index,
    next: sop.steps[index + 1]?.key ?? null,
    roles: step.roles ?? lane.roles,
    branch: step.branch,
  };
  return { cfg, at, actions: block.actions(cfg, at), problems: block.check?.(cfg, at) ?? [] };
}

/** The action of that key, or the test fails. */
function act(
  list: readonly BlockAction[],
  key: string,
): BlockAction & Required<Pick<BlockAction, 'guard' | 'apply' | 'opdNews'>> {
  const a = list.find((x) => x.key === key);
  if (!a) throw new Error(`no action ${key}`);
  const none = () => {
    throw new Error(`${key} has no such function`);
  };
  return { guard: none, apply: none, opdNews: none, ...a };
}

const state = (marks: Record<string, number> = {}): CaseState => ({
  status: 'active',
  step: 's0',
  pendingDecision: null,
  marks,
});

describe('checklist', () => {
  const sop = sopWith([
    {
      block: 'checklist',
      config: {
        items: [
          { key: 'rackReady', label: bi('Rak siap') },
          { key: 'powerReady', label: bi('Daya siap') },
        ],
      },
    },
    {},
  ]);
  it('asks every item confirmed, and moves on', () => {
    const { actions } = build(checklist, sop, 0);
    expect(actions.map((a) => [a.key, a.name])).toEqual([['complete_s0', 'complete']]);
    const a = act(actions, 'complete_s0');
    expect(a.input.safeParse({ rackReady: true, powerReady: true }).success).toBe(true);
    expect(a.input.safeParse({ rackReady: true }).success).toBe(false);
    expect(a.input.safeParse({ rackReady: true, powerReady: false }).success).toBe(false);
    expect(a.effect(state(), {})).toEqual({ kind: 'advance', to: 's1' });
    const schema = z.toJSONSchema(a.input) as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.rackReady?.['x-loket-widget']).toBe('confirm');
    expect(schema.properties.rackReady?.['x-loket-label']).toEqual(bi('Rak siap'));
  });
  it('names duplicate items and an item called notes', () => {
    const bad = sopWith([
      {
        block: 'checklist',
        config: {
          items: [
            { key: 'a', label: bi('A') },
            { key: 'a', label: bi('A') },
            { key: 'notes', label: bi('N') },
          ],
        },
      },
      {},
    ]);
    expect(build(checklist, bad, 0).problems.map((p) => p.path)).toEqual(['items.1.key', 'items.2.key']);
    expect(checklist.config.safeParse({ items: [] }).success).toBe(false);
  });
});

describe('schedule', () => {
  const sop = sopWith([{ block: 'schedule', config: { what: bi('Kunjungan') } }, {}]);
  it('schedules (again and again) and is held only once scheduled', () => {
    const { actions } = build(schedule, sop, 0);
    const sched = act(actions, 'schedule');
    const held = act(actions, 'held');
    expect(actions.map((a) => a.key)).toEqual(['schedule', 'held']);
    expect(sched.effect(state(), {})).toEqual({ kind: 'stay' });
    const once = sched.apply(state(), {});
    expect(once.marks).toEqual({ 'schedule:s0': 1 });
    expect(sched.apply(state(once.marks), {}).marks).toEqual({ 'schedule:s0': 2 });
    expect(held.guard(state())).toBe('schedule it first');
    expect(held.guard(state(once.marks))).toBeNull();
    expect(held.effect(state(once.marks), {})).toEqual({ kind: 'advance', to: 's1' });
    expect(sched.opdNews(state(), state(once.marks))?.title).toBe('Kunjungan dijadwalkan');
    expect(sched.opdNews(state(once.marks), state())?.title).toBe('Kunjungan dijadwalkan ulang');
  });
  it('asks date-time, place and DKISP attendees; without attendees it does not', () => {
    const sched = act(build(schedule, sop, 0).actions, 'schedule');
    const ok = {
      at: '2026-12-03T09:00:00+07:00',
      place: 'Ruang server DKISP',
      staffAttendees: ['7f9c24e5-4a5c-4d3f-8b0a-2f0c8c1f2a11'],
    };
    expect(sched.input.safeParse(ok).success).toBe(true);
    expect(sched.input.safeParse({ ...ok, staffAttendees: [] }).success).toBe(false);
    expect(sched.input.safeParse({ ...ok, at: '3 Desember' }).success).toBe(false);
    const plain = sopWith([{ block: 'schedule', config: { what: bi('Rapat'), attendees: false } }, {}]);
    const s2 = act(build(schedule, plain, 0).actions, 'schedule');
    expect(s2.input.safeParse({ at: ok.at, place: ok.place }).success).toBe(true);
    expect(s2.input.safeParse(ok).success).toBe(false);
  });
  it('the OPD sees when and where, not the internal notes', () => {
    const { actions } = build(schedule, sop, 0);
    const sched = act(actions, 'schedule');
    const held = act(actions, 'held');
    expect(sched.opdSees).toEqual(['at', 'place', 'opdAttendees', 'rescheduled']);
    expect(held.opdSees).toEqual(['heldAt']);
  });
});

describe('provisioning', () => {
  it('completes a step by its key and checks its config against the SOP', () => {
    const sop = sopWith([
      { block: 'upload', config: {} },
      { block: 'provisioning', config: { operation: 'install', build: true } },
      {},
    ]);
    const { actions, problems } = build(provisioning, sop, 1);
    expect(actions.map((a) => [a.key, a.name])).toEqual([['complete_s1', 'complete']]);
    expect(act(actions, 'complete_s1').effect(state(), {})).toEqual({ kind: 'advance', to: 's2' });
    expect(problems).toEqual([]);
    const noUpload = sopWith([{ block: 'provisioning', config: { operation: 'install', build: true } }, {}]);
    expect(build(provisioning, noUpload, 0).problems.map((p) => p.path)).toEqual(['build']);
    const suspendBuild = sopWith([
      { block: 'upload' },
      { block: 'provisioning', config: { operation: 'suspend', build: true } },
      {},
    ]);
    expect(build(provisioning, suspendBuild, 1).problems.map((p) => p.message)).toContain(
      'only an install deploys a build',
    );
    expect(provisioning.config.safeParse({ operation: 'resume' }).success).toBe(false);
  });
});

describe('handover', () => {
  const sop = sopWith([{ block: 'handover', config: { what: bi('Akses hosting') } }, {}]);
  it('asks who received it and how, with a confirmation; the OPD never sees a secret', () => {
    const a = act(build(handover, sop, 0).actions, 'hand_over');
    expect(a.key).toBe('hand_over');
    const ok = { recipientName: 'Budi', method: 'langsung', received: true };
    expect(a.input.safeParse(ok).success).toBe(true);
    expect(a.input.safeParse({ ...ok, received: false }).success).toBe(false);
    expect(a.input.safeParse({ ...ok, password: 'x' }).success).toBe(false);
    expect(a.opdSees).toEqual(['recipientName', 'method', 'handedOverAt']);
    const schema = z.toJSONSchema(a.input) as Record<string, unknown>;
    expect(schema['x-loket-confirm']).toBeDefined();
  });
});

describe('issue_document', () => {
  const baCfg = {
    document: 'berita_acara',
    title: bi('Berita Acara Serah Terima'),
    fields: [{ key: 'condition', label: bi('Kondisi'), type: 'textarea' }],
  };
  it('issues a numbered document with the declared fields and its date', () => {
    const sop = sopWith([{ block: 'issue_document', config: baCfg }, {}]);
    const { actions, problems } = build(issueDocument, sop, 0);
    expect(problems).toEqual([]);
    const a = act(actions, 'issue_berita_acara');
    expect([a.key, a.name]).toEqual(['issue_berita_acara', 'issue']);
    expect(a.input.safeParse({ condition: 'Baik', documentDate: '2026-12-01' }).success).toBe(true);
    expect(a.input.safeParse({ documentDate: '2026-12-01' }).success).toBe(false);
    expect(a.input.safeParse({ condition: 'Baik' }).success).toBe(false);
    expect(a.opdSees).toEqual(['documentNumber', 'documentDate', 'documentKind']);
    expect(issueDocument.documents).toEqual(['berita_acara', 'recommendation']);
  });
  it('names an unknown kind, a draft no earlier step keeps, and a document with nothing in it', () => {
    expect(issueDocument.config.safeParse({ ...baCfg, document: 'sertifikat' }).success).toBe(false);
    const noDraft = sopWith([
      {
        block: 'issue_document',
        config: { document: 'recommendation', title: bi('R'), fromDraft: 'rekomendasi' },
      },
      {},
    ]);
    expect(build(issueDocument, noDraft, 0).problems.map((p) => p.path)).toEqual(['fromDraft']);
    const withDraft = sopWith([
      { block: 'document', config: { doc: 'rekomendasi', title: bi('R'), fields: [] } },
      {
        block: 'issue_document',
        config: { document: 'recommendation', title: bi('R'), fromDraft: 'rekomendasi' },
      },
      {},
    ]);
    expect(build(issueDocument, withDraft, 1).problems).toEqual([]);
    const empty = sopWith([
      { block: 'issue_document', config: { document: 'recommendation', title: bi('R') } },
      {},
    ]);
    expect(build(issueDocument, empty, 0).problems.map((p) => p.path)).toEqual(['fields']);
  });
});

describe('registry effects of the related services', () => {
  const uuid = '7f9c24e5-4a5c-4d3f-8b0a-2f0c8c1f2a11';
  it('a colocated server needs rack, unit position and power; a virtual one its size', () => {
    const colo = { name: 'srv-dinkes-01', kind: 'dedicated', location: 'colocation' };
    const r = serverRecordInput.safeParse(colo);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'powerWatts',
      'rack',
      'rackPosition',
    ]);
    expect(
      serverRecordInput.safeParse({ ...colo, rack: 'R3', rackPosition: 'U12-U13', powerWatts: 450 }).success,
    ).toBe(true);
    const vm = { name: 'vm-disdik-01', kind: 'virtual', location: 'cloud' };
    expect(
      serverRecordInput
        .safeParse(vm)
        .error?.issues.map((i) => i.path.join('.'))
        .sort(),
    ).toEqual(['diskGb', 'memoryGb', 'vcpu']);
    expect(serverRecordInput.safeParse({ ...vm, vcpu: 4, memoryGb: 8, diskGb: 100 }).success).toBe(true);
    expect(serverRecordInput.safeParse({ ...vm, name: 'a b' }).success).toBe(false);
  });
  it('addresses come from a pool, one to sixteen', () => {
    expect(addressAllocateInput.parse({ poolId: uuid }).count).toBe(1);
    expect(addressAllocateInput.safeParse({ poolId: uuid, count: 17 }).success).toBe(false);
    expect(addressAllocateInput.safeParse({ poolId: uuid, address: '10.0.0.999' }).success).toBe(false);
  });
  it('a name is reserved with its server and a pool or an address; a database with its server', () => {
    const base = { hostname: 'layanan.kab.go.id', serverId: uuid };
    expect(nameReserveInput.safeParse(base).success).toBe(false);
    expect(nameReserveInput.safeParse({ ...base, poolId: uuid }).success).toBe(true);
    expect(nameReserveInput.safeParse({ ...base, ipAddress: '10.0.0.9' }).success).toBe(true);
    expect(nameReserveInput.safeParse({ ...base, poolId: uuid, dbEngine: 'mariadb' }).success).toBe(false);
    expect(
      nameReserveInput.safeParse({ ...base, poolId: uuid, dbEngine: 'mariadb', dbServerId: uuid }).success,
    ).toBe(true);
  });
});

describe('the five related SOPs as shipped', () => {
  const dir = path.join(import.meta.dirname, '..', 'definitions');
  for (const key of ['hosting_subdomain', 'hosting', 'colocation', 'cloud_server', 'konsultasi']) {
    it(`${key} is a definition with the office pattern first`, () => {
      const def = sopDefinitionSchema.parse(
        JSON.parse(fs.readFileSync(path.join(dir, `${key}.json`), 'utf8')),
      );
      expect(def.key).toBe(key);
      expect(def.steps.slice(0, 5).map((s) => s.block)).toEqual([
        'request',
        'registration',
        'disposition',
        'review',
        'decision',
      ]);
      expect(def.steps.slice(0, 5).map((s) => s.standardTime)).toEqual([
        { minutes: 2 },
        { minutes: 3 },
        { minutes: 2 },
        { minutes: 25 },
        { minutes: 30 },
      ]);
      expect(def.steps.at(-1)?.block).toBe('closing');
      // Sound: every block known, every config valid, no block finds a problem.
      def.steps.forEach((step, index) => {
        const block = BLOCKS[step.block];
        expect(block, step.block).toBeDefined();
        const cfg = block?.config.safeParse(step.config);
        expect(cfg?.success, `${key}.${step.key}: ${JSON.stringify(cfg?.error?.issues)}`).toBe(true);
        const at: BlockContext = {
          sop: def,
          step,
          index,
          next: step.next ?? def.steps[index + 1]?.key ?? null,
          roles: step.roles ?? def.lanes.find((l) => l.key === step.lane)?.roles ?? [],
          branch: step.branch,
        };
        expect(block?.check?.(cfg?.data, at) ?? [], `${key}.${step.key}`).toEqual([]);
      });
      const sop = compileDefinition(def, 1);
      // Every step has something to do, and every action key is unique in the SOP.
      for (const step of sop.steps.slice(0, -1)) {
        expect(
          sop.actions.some((a) => a.step === step.key),
          `${key}.${step.key}`,
        ).toBe(true);
      }
      const keys = sop.actions.map((a) => `${a.step}:${a.key}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(sop.diamonds.map((d) => d.step)).toEqual(['keputusan']);
    });
  }
});
