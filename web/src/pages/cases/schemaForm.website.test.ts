// The website SOP's forms as the web builds them from what the server serves: its definition
// (src/sop/definitions/website.json) compiled by the engine, each action's payload as the JSON Schema
// the case detail carries. The forms read only the UI hints in it — this checks that the hints the
// blocks write give the website SOP the forms its users know.
import { describe, expect, it, vi } from 'vitest';
import { compileDefinition } from '../../../../src/sop/compile.ts';
import { sopDefinitionSchema } from '../../../../src/sop/definition.ts';
import website from '../../../../src/sop/definitions/website.json';
import { actionInputJsonSchema } from '../../../../src/sop/engine.ts';
import type { CaseDetail, JsonSchema } from '../../api/types.ts';
import {
  confirmationOf,
  fieldsOf,
  initialValues,
  isHidden,
  isRequired,
  labelFor,
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

const sop = compileDefinition(sopDefinitionSchema.parse(website), 1);

function schemaOf(key: string): JsonSchema {
  const action = sop.actions.find((candidate) => candidate.key === key);
  if (!action) throw new Error(`no action ${key}`);
  return actionInputJsonSchema(action) as JsonSchema;
}

function field(key: string, name: string) {
  const found = fieldsOf(schemaOf(key)).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no field ${name} in ${key}`);
  return found;
}

const person = { id: 'u1', username: 'dewi', fullName: 'Dewi Lestari' };
const detail = (overrides: Partial<CaseDetail> = {}) =>
  ({
    website: null,
    websiteRef: null,
    team: [],
    history: [],
    drafts: {},
    kak: [],
    ...overrides,
  }) as CaseDetail;
const none = { units: [], record: null };

describe("the website SOP's forms from the served schemas", () => {
  it('every field has a label in the UI language (its own or the dictionary’s), never its bare name', () => {
    for (const action of sop.actions) {
      for (const spec of fieldsOf(actionInputJsonSchema(action) as JsonSchema)) {
        expect(labelFor(spec.name, spec.schema), `${action.key}.${spec.name}`).not.toBe(spec.name);
      }
    }
  });

  it('registration starts now and "biasa", with the scan to confirm', () => {
    const schema = schemaOf('register');
    const values = initialValues(fieldsOf(schema), schema, detail(), none);
    expect(values.urgency).toBe('biasa');
    expect(values.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(values.addressee).toBe('Kepala DKISP');
    expect(field('register', 'scanConfirmed').kind).toBe('confirm');
  });

  it('the disposition picks the one unit offered and starts at "tindak lanjuti"', () => {
    const schema = schemaOf('dispose');
    expect(field('dispose', 'toUnitId').kind).toBe('unit');
    const units = [{ id: 'apt', code: 'APTIKA', name: 'Bidang Aplikasi Informatika' }];
    const values = initialValues(fieldsOf(schema), schema, detail(), { units, record: null });
    expect(values).toMatchObject({ toUnitId: 'apt', instruction: 'tindak_lanjuti' });
    expect(field('dispose_on', 'toUserId')).toMatchObject({ kind: 'staff', roles: ['subkoor', 'staf'] });
  });

  it('the decision starts from the review’s recommendation; a reason is needed unless approving; rejecting asks', () => {
    const schema = schemaOf('decide');
    const history = [
      {
        id: 'h',
        at: '',
        actor: null,
        action: 'review',
        step: 'pengkajian',
        payload: { recommendation: 'return' },
      },
    ];
    expect(initialValues(fieldsOf(schema), schema, detail({ history }), none).decision).toBe('return');
    const reason = field('decide', 'reason');
    expect(isRequired(reason, { decision: 'approve' })).toBe(false);
    expect(isRequired(reason, { decision: 'reject' })).toBe(true);
    expect(isRequired(reason, { decision: 'return' })).toBe(true);
    expect(confirmationOf(schema, { decision: 'approve' })).toBeNull();
    expect(confirmationOf(schema, { decision: 'return' })).toBeNull();
    expect(confirmationOf(schema, { decision: 'reject' })).toMatchObject({ danger: true });
  });

  it('the follow-up letter is dated today, without a question; closing asks, not as a warning', () => {
    expect(field('send_letter', 'letterDate').prefill).toBe('today');
    expect(confirmationOf(schemaOf('send_letter'), {})).toBeNull();
    expect(confirmationOf(schemaOf('close'), {})).toMatchObject({ danger: false });
  });

  it('the start of work: the website only when it exists, the team from the staff', () => {
    const websiteId = field('start_work', 'websiteId');
    expect(websiteId.kind).toBe('website');
    expect(isHidden(websiteId, { websiteExists: false })).toBe(true);
    expect(isHidden(websiteId, { websiteExists: true })).toBe(false);
    expect(field('start_work', 'teamUserIds').kind).toBe('staffMulti');
    const schema = schemaOf('start_work');
    const update = detail({ website: { id: 'w1', hostname: 'a.example', status: 'active' } });
    expect(initialValues(fieldsOf(schema), schema, update, none)).toMatchObject({
      websiteExists: true,
      websiteId: 'w1',
    });
    expect(initialValues(fieldsOf(schema), schema, detail(), none)).toMatchObject({ websiteExists: false });
  });

  it('the KAK form: its sections labelled by the definition, filled from the latest version', () => {
    const schema = schemaOf('save_kak');
    expect(labelFor('menuStructure', field('save_kak', 'menuStructure').schema)).toBe(
      'Struktur konten / menu',
    );
    expect(field('save_kak', 'goals').kind).toBe('textarea');
    const drafts = {
      kak: [{ version: 3, content: { goals: 'Tujuan v3' }, createdAt: '', createdBy: person }],
    };
    expect(rootPrefill(schema, detail({ drafts }), none)?.version).toBe(3);
    expect(initialValues(fieldsOf(schema), schema, detail({ drafts }), none).goals).toBe('Tujuan v3');
  });

  it("the installation's pickers: server (from the registry), address or pool, name, a one-line path", () => {
    expect(field('record_installation', 'serverId')).toMatchObject({
      kind: 'server',
      prefill: 'case.website.serverId',
    });
    expect(field('record_installation', 'ipAddress').kind).toBe('ip');
    expect(field('record_installation', 'poolId').kind).toBe('pool');
    expect(field('record_installation', 'hostname')).toMatchObject({
      kind: 'hostname',
      prefill: 'case.website.hostname',
    });
    expect(field('record_installation', 'documentRoot').kind).toBe('text');
    expect(field('record_installation', 'siteAnswers').kind).toBe('confirm');
  });
});
