import { describe, expect, it, vi } from 'vitest';
import type { JsonSchema } from '../../api/types.ts';
import {
  checkRequestField,
  initialRequestValues,
  isHidden,
  isRequired,
  requestFieldsOf,
  requestPayload,
  usesWebsiteRequestForm,
} from './requestFields.ts';

// The app's i18n module touches `document` and `localStorage`: under node, a plain i18next instance
// with the app's messages (as in cases/schemaForm.test.ts).
vi.mock('../../i18n/index.ts', async () => {
  const { createInstance } = await import('i18next');
  const { default: id } = await import('../../i18n/id.ts');
  const instance = createInstance();
  await instance.init({
    resources: { id: { translation: id } },
    lng: 'id',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return {
    default: instance,
    LANGUAGES: ['id', 'en'],
    currentLanguage: () => 'id',
    currentLocale: () => 'id-ID',
  };
});

const label = (id: string) => ({ id, en: id });

const consultation = {
  type: 'object',
  properties: {
    topic: {
      type: 'string',
      enum: ['pengembangan', 'keamanan'],
      'x-loket-widget': 'radio',
      'x-loket-label': label('Pokok'),
    },
    contact: { type: 'string', maxLength: 10, 'x-loket-label': label('Narahubung') },
    vcpu: { type: 'integer', minimum: 1, maximum: 8, 'x-loket-label': label('vCPU') },
    hasDomain: {
      type: 'boolean',
      'x-loket-widget': 'radio',
      enum: [true, false],
      'x-loket-label': label('Domain?'),
    },
    domain: {
      type: 'string',
      'x-loket-label': label('Domain'),
      'x-loket-requiredWhen': { field: 'hasDomain', equals: true },
      'x-loket-hiddenWhen': { field: 'hasDomain', equals: 'false' },
    },
  },
  required: ['topic', 'contact', 'vcpu'],
} as unknown as JsonSchema;

describe("a service's request fields", () => {
  it('are read from the schema and its hints, labelled from x-loket-label', () => {
    const fields = requestFieldsOf(consultation);
    expect(fields.map((f) => [f.name, f.kind, f.label])).toEqual([
      ['topic', 'radio', 'Pokok'],
      ['contact', 'text', 'Narahubung'],
      ['vcpu', 'number', 'vCPU'],
      ['hasDomain', 'radio', 'Domain?'],
      ['domain', 'text', 'Domain'],
    ]);
    expect(usesWebsiteRequestForm(fields)).toBe(false);
  });

  it('check required, length and number range; hide and require by another answer', () => {
    const fields = requestFieldsOf(consultation);
    const values = initialRequestValues(fields);
    const field = (name: string) => {
      const found = fields.find((f) => f.name === name);
      if (!found) throw new Error(`no field ${name}`);
      return found;
    };
    expect(checkRequestField(field('topic'), values)).toBeTruthy();
    expect(checkRequestField(field('contact'), { ...values, contact: 'x'.repeat(11) })).toBeTruthy();
    expect(checkRequestField(field('vcpu'), { ...values, vcpu: '9' })).toBeTruthy();
    expect(checkRequestField(field('vcpu'), { ...values, vcpu: '4' })).toBeNull();
    expect(isRequired(field('domain'), { ...values, hasDomain: 'true' })).toBe(true);
    expect(isHidden(field('domain'), { ...values, hasDomain: 'false' })).toBe(true);
  });

  it('send numbers as numbers, a yes/no choice as a boolean, and leave blanks and hidden fields out', () => {
    const fields = requestFieldsOf(consultation);
    const payload = requestPayload(fields, {
      topic: 'keamanan',
      contact: ' Budi ',
      vcpu: '2',
      hasDomain: 'false',
      domain: 'x.example',
    });
    expect(payload).toEqual({ topic: 'keamanan', contact: 'Budi', vcpu: 2, hasDomain: false });
  });

  it('know the website request by its pickers', () => {
    const website = {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['new', 'update'] },
        websiteId: { type: 'string', 'x-loket-picker': 'website' },
        requestedHostname: { type: 'string', 'x-loket-picker': 'hostname' },
      },
    } as unknown as JsonSchema;
    expect(usesWebsiteRequestForm(requestFieldsOf(website))).toBe(true);
  });
});
