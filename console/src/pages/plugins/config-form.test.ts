import { describe, expect, it } from 'vitest';
import { configOf, draftOf } from './config-draft.js';
import { placeConfigErrors } from './config-errors.js';
import { configFields, type JsonSchema } from './config-schema-fields.js';

/** The webhook plugin's schema, plus a nested object and an untyped property. */
const schema: JsonSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', pattern: '^https?://', description: 'Where to POST.' },
    secret: { type: 'string', minLength: 16, writeOnly: true },
    eventTypes: { type: 'array', items: { enum: ['Tracked', 'Identified'] }, default: ['Tracked'] },
    eventNames: { type: 'array', items: { type: 'string' } },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 30000, default: 10000 },
    retry: {
      type: 'object',
      title: 'Retries',
      properties: { enabled: { type: 'boolean' }, mode: { enum: ['linear', 'exponential'] } },
      required: ['mode'],
    },
    shape: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  },
  required: ['url', 'secret'],
};

describe('configFields', () => {
  it('gives each property the input its schema calls for', () => {
    const fields = configFields(schema);
    expect(fields.map((field) => [field.key, field.kind, field.required])).toEqual([
      ['url', 'text', true],
      ['secret', 'password', true],
      ['eventTypes', 'choices', false],
      ['eventNames', 'list', false],
      ['headers', 'json', false],
      ['timeoutMs', 'number', false],
      ['retry', 'object', false],
      ['shape', 'json', false],
    ]);
    expect(fields[5]).toMatchObject({
      integer: true,
      minimum: 100,
      maximum: 30000,
      default: 10000,
    });
    expect(fields[6]!.label).toBe('Retries');
    expect(fields[6]!.fields!.map((field) => [field.pointer, field.kind, field.required])).toEqual([
      ['/retry/enabled', 'boolean', false],
      ['/retry/mode', 'enum', true],
    ]);
  });

  it('edits a schema without properties as one JSON object', () => {
    const fields = configFields(undefined);
    expect(fields).toMatchObject([{ key: '', kind: 'json' }]);
    const draft = draftOf(fields, { a: 1 });
    expect(configOf(fields, { ...draft, '': '{"a": 2}' })).toEqual({
      config: { a: 2 },
      problems: {},
    });
    expect(configOf(fields, { '': '[1]' }).problems).toEqual({
      '': 'The configuration must be a JSON object.',
    });
  });
});

describe('draftOf and configOf', () => {
  const fields = configFields(schema);

  it('starts from the stored configuration, else the defaults, and gives the same back', () => {
    const stored = {
      url: 'https://hooks.example/uspa',
      secret: '••••••••',
      eventTypes: ['Identified', 'Tracked'],
      headers: { authorization: 'Bearer x' },
      retry: { enabled: true, mode: 'linear' },
      legacy: 'kept',
    };
    const draft = draftOf(fields, stored);
    expect(draft['/timeoutMs']).toBe('10000');
    expect(draft['/secret']).toBe('••••••••');
    expect(configOf(fields, draft, stored)).toEqual({
      config: {
        legacy: 'kept',
        url: 'https://hooks.example/uspa',
        secret: '••••••••',
        eventTypes: ['Tracked', 'Identified'],
        headers: { authorization: 'Bearer x' },
        timeoutMs: 10000,
        retry: { enabled: true, mode: 'linear' },
      },
      problems: {},
    });
  });

  it('leaves out empty inputs, and sends an emptied list that has a default as []', () => {
    const draft = draftOf(fields, {});
    const edited = {
      ...draft,
      '/url': 'https://x.example',
      '/eventTypes': [],
      '/eventNames': ['', ' '],
    };
    expect(configOf(fields, edited).config).toEqual({
      url: 'https://x.example',
      eventTypes: [],
      timeoutMs: 10000,
    });
  });

  it('reports inputs that cannot become values', () => {
    const draft = { ...draftOf(fields, {}), '/timeoutMs': '50', '/headers': '{oops' };
    expect(configOf(fields, draft).problems).toEqual({
      '/timeoutMs': 'Must be at least 100.',
      '/headers': expect.stringMatching(/^Not valid JSON/) as unknown,
    });
    expect(configOf(fields, { ...draft, '/timeoutMs': '1.5', '/headers': '' }).problems).toEqual({
      '/timeoutMs': 'Must be a whole number.',
    });
  });
});

describe('placeConfigErrors', () => {
  it('puts API errors on their fields, missing properties included', () => {
    const fields = configFields(schema);
    const placed = placeConfigErrors(fields, [
      { path: '/', message: "must have required property 'secret'" },
      { path: '/retry', message: "must have required property 'mode'" },
      { path: '/eventNames/1', message: 'must NOT have fewer than 1 characters' },
      { path: '/timeoutMs', message: 'must be >= 100' },
      { path: '/', message: 'must NOT have additional properties' },
    ]);
    expect(Object.fromEntries(placed.byPointer)).toEqual({
      '/secret': ['Required.'],
      '/retry/mode': ['Required.'],
      '/eventNames': ['must NOT have fewer than 1 characters'],
      '/timeoutMs': ['must be >= 100'],
    });
    expect(placed.general).toEqual(['must NOT have additional properties']);
  });
});
