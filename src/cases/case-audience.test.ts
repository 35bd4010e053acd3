// biome-ignore-all lint/suspicious/noThenProperty: a decision outcome's `then` is the definition's own word
import { describe, expect, it } from 'vitest';
import { builtInSop } from '../sop/catalogue.ts';
import { compileDefinition } from '../sop/compile.ts';
import { sopDefinitionSchema } from '../sop/definition.ts';
import { decisionReleased, outputsFor, stepOutputsFor } from './case-audience.ts';

// What an OPD sees is declared by each action (opdSees); these are the rules the presenter applies.

const web = builtInSop('website');
const T = (id: string) => ({ id, en: id });

describe('outputsFor', () => {
  it('shows an OPD only what the action declares; hides internal actions; staff see everything', () => {
    const out = { agendaNumber: '001/2026', electronicDocument: true, dispositionSheet: true };
    expect(outputsFor('opd', web, 'register', 'registrasi', out)).toEqual({ agendaNumber: '001/2026' });
    expect(outputsFor('staff', web, 'register', 'registrasi', out)).toEqual(out);
    expect(outputsFor('opd', web, 'decide', 'keputusan', { decision: 'reject', reason: 'x' })).toBeNull();
    expect(outputsFor('opd', web, 'save_kak', 'analisis', { kakVersion: 1 })).toBeNull();
    expect(outputsFor('opd', web, 'dispose_on', 'pengkajian', { disposedOnTo: 'u' })).toBeNull();
    expect(
      outputsFor('opd', web, 'record_installation', 'instalasi', { hostname: 'a.go.id', server: 's' }),
    ).toEqual({ hostname: 'a.go.id' });
    expect(outputsFor('opd', web, 'create', 'permohonan', { subject: 's', other: 1 })).toEqual({
      subject: 's',
    });
    expect(outputsFor('opd', web, 'edit', 'permohonan', { subject: 's' })).toEqual({});
    expect(outputsFor('opd', web, 'teleport', null, { a: 1 })).toBeNull();
  });

  it('filters a step’s outputs action by action', () => {
    expect(
      stepOutputsFor('opd', web, 'pengkajian', {
        dispose_on: { disposedOnTo: 'u' },
        review: { findings: 'f', recommendation: 'approve' },
      }),
    ).toEqual({ review: {} });
  });
});

describe('decisionReleased', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 2, m));

  it('waits for the letter that carries the decision', () => {
    expect(decisionReleased({ decided_at: at(1), tl_sent_at: null }, web)).toBe(false);
    expect(decisionReleased({ decided_at: at(1), tl_sent_at: at(2) }, web)).toBe(true);
    expect(decisionReleased({ decided_at: at(3), tl_sent_at: at(2) }, web)).toBe(false);
    expect(decisionReleased({ decided_at: at(3), tl_sent_at: at(2) })).toBe(false);
  });

  it('without a letter (letter: false), releases it when taken', () => {
    const sop = compileDefinition(
      sopDefinitionSchema.parse({
        key: 'cepat',
        title: T('Cepat'),
        refPrefix: 'CPT',
        lanes: [
          { key: 'opd', title: T('OPD'), roles: ['opd'] },
          { key: 'kepala', title: T('Kepala'), roles: ['kepala'] },
        ],
        steps: [
          { key: 'minta', title: T('Minta'), lane: 'opd', block: 'request', standardTime: { minutes: 1 } },
          {
            key: 'putus',
            title: T('Putus'),
            lane: 'kepala',
            block: 'decision',
            config: {
              question: T('Ya?'),
              letter: false,
              outcomes: [{ key: 'ok', label: T('Ya'), then: { end: 'done' } }],
            },
            standardTime: { minutes: 1 },
          },
        ],
      }),
      1,
    );
    expect(decisionReleased({ decided_at: null, tl_sent_at: null }, sop)).toBe(false);
    expect(decisionReleased({ decided_at: at(1), tl_sent_at: null }, sop)).toBe(true);
  });
});
