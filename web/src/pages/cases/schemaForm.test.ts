import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseDetail, JsonSchema } from '../../api/types.ts';
import id from '../../i18n/id.ts';
import i18n from '../../i18n/index.ts';
import { jakartaToday } from '../../lib/duration.ts';
import {
  checkField,
  confirmationOf,
  fieldsOf,
  hintFor,
  initialValues,
  isHidden,
  isRequired,
  labelFor,
  optionLabel,
  payloadOf,
  rootPrefill,
} from './schemaForm.ts';

// The app's i18n module touches `document` and `localStorage`: under node it is replaced by a plain
// i18next instance with the app's own messages (as in lib/duration.test.ts).
vi.mock('../../i18n/index.ts', async () => {
  const { createInstance } = await import('i18next');
  const { default: id } = await import('../../i18n/id.ts');
  const { default: en } = await import('../../i18n/en.ts');
  const instance = createInstance();
  await instance.init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng: 'id',
    fallbackLng: 'id',
    supportedLngs: ['id', 'en'],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const currentLanguage = () => (instance.language === 'en' ? 'en' : 'id');
  return {
    default: instance,
    LANGUAGES: ['id', 'en'],
    currentLanguage,
    currentLocale: () => (currentLanguage() === 'en' ? 'en-GB' : 'id-ID'),
  };
});

afterEach(async () => {
  await i18n.changeLanguage('id');
});

const person = { id: 'u1', username: 'dewi', fullName: 'Dewi Lestari' };

/** A case as far as the forms read it (prefills reach into it by path). */
function detail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    website: null,
    websiteRef: null,
    team: [],
    history: [],
    kak: [],
    ...overrides,
  } as CaseDetail;
}

const none = { units: [], record: null };

describe('fieldsOf: the input from the UI hints, never from the field name', () => {
  it('takes the picker, the widget and the roles from the hints', () => {
    const fields = fieldsOf({
      type: 'object',
      properties: {
        anything: { type: 'string', 'x-loket-picker': 'staff', 'x-loket-roles': ['kabid', 'staf'] },
        people: { type: 'array', items: { type: 'string' }, 'x-loket-picker': 'staffMulti' },
        where: { type: 'string', 'x-loket-picker': 'server' },
        address: { type: 'string', 'x-loket-picker': 'ip' },
        longText: { type: 'string', maxLength: 50, 'x-loket-widget': 'textarea' },
        when: { type: 'string', 'x-loket-widget': 'datetime' },
      },
      required: ['anything'],
    });
    expect(fields.map((field) => [field.name, field.kind])).toEqual([
      ['anything', 'staff'],
      ['people', 'staffMulti'],
      ['where', 'server'],
      ['address', 'ip'],
      ['longText', 'textarea'],
      ['when', 'datetime'],
    ]);
    expect(fields[0]?.roles).toEqual(['kabid', 'staf']);
    expect(fields[0]?.required).toBe(true);
  });

  it('a field named like a picker is plain text without the hint', () => {
    const [field] = fieldsOf({ properties: { websiteId: { type: 'string' }, serverId: { type: 'string' } } });
    expect(field?.kind).toBe('text');
  });

  it('reads the types when there is no hint', () => {
    const fields = fieldsOf({
      properties: {
        a: { enum: ['x', 'y'] },
        b: { enum: ['1', '2', '3', '4', '5'] },
        c: { type: 'boolean' },
        d: { type: 'boolean', const: true },
        e: { type: 'integer' },
        f: { type: 'string', format: 'date' },
        g: { type: 'string', maxLength: 4000 },
      },
    });
    expect(fields.map((field) => field.kind)).toEqual([
      'radio',
      'select',
      'switch',
      'confirm',
      'number',
      'date',
      'textarea',
    ]);
  });
});

describe('labels and help', () => {
  it('a declared field is labelled by its x-loket-label, in the interface language', async () => {
    const schema: JsonSchema = {
      type: 'string',
      'x-loket-label': { id: 'Jumlah vCPU', en: 'vCPU count' },
      'x-loket-help': { id: 'Antara 1 dan 16.', en: 'Between 1 and 16.' },
    };
    expect(labelFor('vcpu', schema)).toBe('Jumlah vCPU');
    expect(hintFor('vcpu', schema)).toBe('Antara 1 dan 16.');
    await i18n.changeLanguage('en');
    expect(labelFor('vcpu', schema)).toBe('vCPU count');
    expect(hintFor('vcpu', schema)).toBe('Between 1 and 16.');
  });

  it("a built-in field keeps the dictionary's label; an unknown one shows its name", () => {
    expect(labelFor('summary', { type: 'string' })).toBe(id.action.fields.summary);
    expect(labelFor('somethingElse', { type: 'string' })).toBe('somethingElse');
  });

  it("options are labelled by the schema's own labels first", () => {
    const [field] = fieldsOf({
      properties: {
        outcome: {
          anyOf: [
            { const: 'ok', 'x-loket-label': { id: 'Layak', en: 'Fit' } },
            { const: 'no', 'x-loket-label': { id: 'Tidak layak', en: 'Unfit' } },
          ],
        },
      },
    });
    expect(field?.kind).toBe('radio');
    expect(field?.options).toEqual(['ok', 'no']);
    expect(optionLabel('outcome', 'ok', field?.choices)).toBe('Layak');
    expect(optionLabel('decision', 'approve')).toBe(id.action.enums.decision.approve);
    expect(optionLabel('other', 'some_code')).toBe('some code');
  });
});

describe('conditional fields', () => {
  const fields = fieldsOf({
    properties: {
      exists: { type: 'boolean' },
      target: { type: 'string', 'x-loket-hiddenWhen': { field: 'exists', equals: false } },
      decision: { enum: ['approve', 'reject', 'return'] },
      reason: { type: 'string', 'x-loket-requiredWhen': { field: 'decision', equals: ['reject', 'return'] } },
    },
  });
  const [, target, , reason] = fields;

  it('hides a field while another has the value named, and leaves it out of the payload', () => {
    if (!target) throw new Error('no field');
    expect(isHidden(target, { exists: false, target: 'x' })).toBe(true);
    expect(isHidden(target, { exists: true, target: 'x' })).toBe(false);
    expect(payloadOf(fields, { exists: false, target: 'x', decision: 'approve', reason: '' })).toEqual({
      exists: false,
      decision: 'approve',
    });
    expect(checkField(target, '', { exists: false })).toBeNull();
  });

  it('requires a field when another has (one of) the values named', () => {
    if (!reason) throw new Error('no field');
    expect(isRequired(reason, { decision: 'approve' })).toBe(false);
    expect(checkField(reason, '', { decision: 'approve' })).toBeNull();
    expect(isRequired(reason, { decision: 'reject' })).toBe(true);
    expect(checkField(reason, '', { decision: 'return' })).toBe(id.validation.required);
    expect(checkField(reason, 'Anggaran', { decision: 'return' })).toBeNull();
  });

  it('a boolean condition matches the switch', () => {
    const [, field] = fieldsOf({
      properties: {
        exists: { type: 'boolean' },
        websiteId: { type: 'string', 'x-loket-requiredWhen': { field: 'exists', equals: true } },
      },
    });
    if (!field) throw new Error('no field');
    expect(checkField(field, '', { exists: true })).toBe(id.validation.required);
    expect(checkField(field, '', { exists: false })).toBeNull();
  });
});

describe('prefill', () => {
  it('today, the case by path, the team, the latest answer of an action', () => {
    const fields = fieldsOf({
      properties: {
        day: { type: 'string', format: 'date', 'x-loket-prefill': 'today' },
        site: { type: 'string', 'x-loket-picker': 'website', 'x-loket-prefill': 'case.website.id' },
        exists: { type: 'boolean', 'x-loket-prefill': 'case.website.id' },
        host: { type: 'string', 'x-loket-picker': 'hostname', 'x-loket-prefill': 'case.website.hostname' },
        people: { type: 'array', 'x-loket-picker': 'staffMulti', 'x-loket-prefill': 'case.team' },
        choice: { enum: ['approve', 'reject'], 'x-loket-prefill': 'case.history.review.recommendation' },
        server: { type: 'string', 'x-loket-picker': 'server', 'x-loket-prefill': 'case.website.serverId' },
        plain: { type: 'string', default: 'biasa' },
      },
    });
    const values = initialValues(
      fields,
      {},
      detail({
        website: { id: 'w1', hostname: null, status: 'planned' },
        websiteRef: 'dinkes.example-kab.go.id',
        team: [person],
        history: [
          {
            id: 'h1',
            at: '',
            actor: null,
            action: 'review',
            step: 'pengkajian',
            payload: { recommendation: 'reject' },
          },
          {
            id: 'h2',
            at: '',
            actor: null,
            action: 'review',
            step: 'pengkajian',
            payload: { recommendation: 'approve' },
          },
        ],
      }),
      { units: [], record: { serverId: 's1', ipAddress: null } },
    );
    expect(values).toEqual({
      day: jakartaToday(),
      site: 'w1',
      exists: true,
      host: 'dinkes.example-kab.go.id',
      people: ['u1'],
      choice: 'approve',
      server: 's1',
      plain: 'biasa',
    });
  });

  it('a switch prefilled from something the case does not have starts off', () => {
    const fields = fieldsOf({
      properties: { exists: { type: 'boolean', 'x-loket-prefill': 'case.website.id' } },
    });
    expect(initialValues(fields, {}, detail(), none)).toEqual({ exists: false });
  });

  it('the one unit offered is picked', () => {
    const fields = fieldsOf({ properties: { to: { type: 'string', 'x-loket-picker': 'unit' } } });
    const units = [{ id: 'u-apt', code: 'APTIKA', name: 'Bidang Aplikasi Informatika' }];
    expect(initialValues(fields, {}, detail(), { units, record: null })).toEqual({ to: 'u-apt' });
    expect(
      initialValues(fields, {}, detail(), {
        units: [...units, { ...units[0], id: 'x' }] as never,
        record: null,
      }),
    ).toEqual({
      to: '',
    });
  });

  it("a versioned document's form starts from its latest version", () => {
    const schema: JsonSchema = {
      'x-loket-prefill': 'case.drafts.kak',
      properties: { goals: { type: 'string' }, scope: { type: 'string' } },
    };
    const versions = [
      { version: 1, content: { goals: 'old', scope: 'old' }, createdAt: '', createdBy: person },
      { version: 2, content: { goals: 'Tujuan', scope: 'Ruang lingkup' }, createdAt: '', createdBy: person },
    ];
    const withDrafts = detail({ drafts: { kak: versions } } as Partial<CaseDetail>);
    expect(rootPrefill(schema, withDrafts, none)?.version).toBe(2);
    expect(initialValues(fieldsOf(schema), schema, withDrafts, none)).toEqual({
      goals: 'Tujuan',
      scope: 'Ruang lingkup',
    });
    expect(rootPrefill(schema, detail(), none)).toBeNull();
  });
});

describe('confirmationOf: x-loket-confirm on the action', () => {
  const text = { id: 'Permohonan akan ditolak.', en: 'The request will be rejected.' };

  it('asks always, or only when the condition holds', () => {
    expect(confirmationOf({ 'x-loket-confirm': text }, {})).toEqual({ text: text.id, danger: true });
    const conditional: JsonSchema = {
      'x-loket-confirm': { ...text, when: { field: 'decision', equals: 'reject' } },
    };
    expect(confirmationOf(conditional, { decision: 'approve' })).toBeNull();
    expect(confirmationOf(conditional, { decision: 'reject' })?.text).toBe(text.id);
    expect(confirmationOf({ 'x-loket-confirm': { ...text, danger: false } }, {})?.danger).toBe(false);
  });

  it('does not ask without the hint', () => {
    expect(confirmationOf({ properties: {} }, {})).toBeNull();
  });
});
