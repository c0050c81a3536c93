import { describe, expect, it } from 'vitest';
import { manifestOf } from './plugin-manifest.js';

const valid = { name: 'crm', version: '1.2.0', host: '>=0.1.0' };

describe('manifestOf', () => {
  it('lists the hooks that are functions and copies declared data', () => {
    const configSchema = { type: 'object', properties: { url: { type: 'string' } } };
    const manifest = manifestOf({
      ...valid,
      configSchema,
      permissions: { network: ['config:url'], events: ['Tracked'] },
      setup() {},
      onBatch() {},
      enrich: 'not a function',
      projections: [{ name: 'orders', handles: ['Tracked'], handle() {} }],
    });
    expect(manifest).toEqual({
      ...valid,
      configSchema,
      permissions: { network: ['config:url'], events: ['Tracked'] },
      hooks: ['setup', 'onBatch'],
      projections: [{ name: 'orders', handles: ['Tracked'] }],
    });
    expect(manifest.configSchema).not.toBe(configSchema);
  });

  it.each([
    ['not an object', 'name must be a non-empty string', 42],
    ['a blank name', 'name must be a non-empty string', { ...valid, name: ' ' }],
    ['a numeric host', 'host must be a non-empty string', { ...valid, host: 1 }],
    ['a non-string author', 'author must be a string', { ...valid, author: ['a'] }],
    ['a list as config schema', 'configSchema must be an object', { ...valid, configSchema: [] }],
    [
      'hosts that are not strings',
      'permissions.network must be an array of strings',
      { ...valid, permissions: { network: [1] } },
    ],
    [
      'a projection without handle',
      'projections[0].handle must be a function',
      { ...valid, projections: [{ name: 'p', handles: [] }] },
    ],
    [
      'two projections of one name',
      'two projections are named "p"',
      {
        ...valid,
        projections: [
          { name: 'p', handles: [], handle() {} },
          { name: 'p', handles: [], handle() {} },
        ],
      },
    ],
  ])('refuses a definition with %s', (_, reason, definition) => {
    expect(() => manifestOf(definition)).toThrow(`invalid plugin definition: ${reason}`);
  });
});
