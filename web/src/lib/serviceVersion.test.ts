import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from '../../../src/sop/compile.ts';
import { sopDefinitionSchema } from '../../../src/sop/definition.ts';
import { presentService } from '../../../src/sop/services.ts';
import { actionName, serviceOfDefinition } from './serviceVersion.ts';

const dir = join(import.meta.dirname, '../../../src/sop/definitions');
const shipped = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => sopDefinitionSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8'))));

describe('serviceOfDefinition (an old version drawn from its definition)', () => {
  it.each(shipped.map((def) => [def.key, def] as const))(
    'gives the catalogue’s own shape for the shipped %s SOP',
    (_key, def) => {
      const served = presentService(compileDefinition(def, 3), false);
      expect(serviceOfDefinition({ ...def, version: 3 }, served)).toEqual(served);
    },
  );

  it('words actions as the old version does and keeps its own steps and diamonds', () => {
    const website = shipped.find((def) => def.key === 'website');
    if (!website) throw new Error('website.json missing');
    const current = presentService(compileDefinition(website, 2), false);
    const old = structuredClone(website);
    const build = old.steps.find((s) => s.key === 'pembuatan');
    if (!build) throw new Error('no pembuatan');
    build.actionTitles = { complete: { id: 'Serahkan berkas lama', en: 'Hand over the old files' } };
    old.steps = old.steps.filter((s) => s.key !== 'laporan');
    const service = serviceOfDefinition({ ...old, version: 1 }, current);
    expect(service.version).toBe(1);
    expect(service.steps.map((s) => s.key)).not.toContain('laporan');
    expect(service.steps.map((s) => s.no)).toEqual(service.steps.map((_, i) => i + 1));
    expect(service.actions.find((a) => a.key === 'complete_build')?.title.id).toBe('Serahkan berkas lama');
    expect(service.diamonds.map((d) => d.step)).toEqual(['keputusan', 'mulai']);
  });
});

describe('actionName', () => {
  const service = {
    actions: [
      { key: 'schedule', step: 'jadwal', title: { id: 'Jadwalkan pertemuan', en: 'Schedule the meeting' } },
      { key: 'schedule', step: 'kunjungan', title: { id: 'Jadwalkan kunjungan', en: 'Schedule the visit' } },
    ],
  };
  const dictionary = { create: 'Permohonan dibuat', close: 'Permohonan ditutup' };

  it('names an action the dictionary does not know by the SOP’s title, at its step when given', () => {
    expect(actionName(service, 'schedule', dictionary, 'id', 'kunjungan')).toBe('Jadwalkan kunjungan');
    expect(actionName(service, 'schedule', dictionary, 'en', 'jadwal')).toBe('Schedule the meeting');
    expect(actionName(service, 'schedule', dictionary, 'id')).toBe('Jadwalkan pertemuan');
  });

  it('keeps the dictionary’s words for what it knows, and falls back to the key', () => {
    const closing = { actions: [{ key: 'close', step: 'selesai', title: { id: 'Tutup', en: 'Close' } }] };
    expect(actionName(closing, 'close', dictionary, 'id', 'selesai')).toBe('Permohonan ditutup');
    expect(actionName(service, 'create', dictionary, 'id')).toBe('Permohonan dibuat');
    expect(actionName(undefined, 'schedule', dictionary, 'id')).toBe('schedule');
    expect(actionName(service, 'mystery', dictionary, 'id')).toBe('mystery');
  });
});
