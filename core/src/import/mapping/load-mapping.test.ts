import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkMapping, loadMapping } from './load-mapping.js';

const fixtureMapping = fileURLToPath(
  new URL('../../../fixtures/online-retail/mapping.json', import.meta.url),
);
const base = { message: { type: { const: 'track' }, event: { const: 'Order Completed' } } };
const withMessage = (fields: Record<string, unknown>): Record<string, unknown> => ({
  message: { ...base.message, ...fields },
});

describe('loadMapping', () => {
  it('loads the Online Retail mapping', async () => {
    const mapping = await loadMapping(fixtureMapping);
    expect(mapping.group?.by).toBe('InvoiceNo');
    expect(mapping.skip?.map((rule) => rule.reason)).toEqual([
      'bad_debt_adjustment',
      'stock_adjustment',
    ]);
  });

  it('names the file and the problem when it cannot be used', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'uspa-mapping-'));
    const broken = join(directory, 'broken.json');
    writeFileSync(broken, '{"message": ');
    await expect(loadMapping(broken)).rejects.toThrow(/^invalid mapping .*broken\.json: /);
    await expect(loadMapping(join(directory, 'absent.json'))).rejects.toThrow(
      /^cannot read mapping .*absent\.json: ENOENT/,
    );
  });
});

describe('checkMapping', () => {
  it('accepts a minimal mapping', () => {
    expect(checkMapping(base)).toBeUndefined();
  });

  it.each([
    [{}, "(top level) must have required property 'message'"],
    [{ ...base, extra: 1 }, '(top level): unknown key "extra"'],
    [{ message: { event: { const: 'x' } } }, '/message must map "type" (e.g. {"const": "track"})'],
    [
      withMessage({ userId: { column: 'CustomerID', type: 'int' } }),
      '/message/userId/type must be one of string, number, integer, boolean, date',
    ],
    [
      withMessage({ userId: { column: 'CustomerID', const: '1' } }),
      '/message/userId: needs exactly one of column, const, template, sum',
    ],
    [
      withMessage({ 'properties..total': { const: 1 } }),
      '/message: "properties..total" is not a dotted field path',
    ],
    [
      withMessage({ 'properties.__proto__': { const: 1 } }),
      '/message/properties.__proto__: "__proto__" cannot be a field name',
    ],
    [
      withMessage({ 'properties.total': { sum: ['price'] } }),
      '/message/properties.total: sum needs a group, and is computed on the message only',
    ],
    [
      withMessage({
        at: { column: 'Date', type: 'date', format: 'yyyy-MM-dd', timeZone: 'Mars/Base' },
      }),
      '/message/at: Invalid time zone specified: Mars/Base',
    ],
    [
      withMessage({ at: { column: 'Date', format: 'yyyy' } }),
      '/message/at: format and timeZone apply to type date only',
    ],
    [
      withMessage({ id: { column: 'Id', asString: true } }),
      '/message/id: asString applies to type number or integer only',
    ],
    [
      withMessage({ id: [{ when: { Id: { matches: '(' } }, column: 'Id' }] }),
      '/message/id/0/when/Id/matches: Invalid regular expression: /(/u: Unterminated group',
    ],
    [
      { ...base, skip: [{ reason: 'Bad Reason', when: { A: { empty: true } } }] },
      '/skip/0/reason must match pattern "^[a-z][a-z0-9_]*$"',
    ],
  ])('explains what is wrong: %j', (mapping, problem) => {
    expect(checkMapping(mapping)).toBe(problem);
  });

  it('checks that a sum names item fields', () => {
    const mapping = {
      ...withMessage({ 'properties.total': { sum: ['quantity', 'cost'] } }),
      group: { by: 'Order', itemsAt: 'properties.products', item: { quantity: { column: 'Qty' } } },
    };
    expect(checkMapping(mapping)).toBe(
      '/message/properties.total: sum names "cost", which is not a field of /group/item',
    );
  });
});
