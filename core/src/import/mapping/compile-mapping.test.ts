import { describe, expect, it } from 'vitest';
import { compileMapping, type Row } from './compile-mapping.js';
import { ValueError } from './conversions.js';
import type { ImportMapping } from './mapping.types.js';

const columns = ['Order', 'Sku', 'Qty', 'Price', 'Customer', 'Country'];
const row = (order: string, sku: string, qty: string, price: string, customer = ''): Row => ({
  Order: order,
  Sku: sku,
  Qty: qty,
  Price: price,
  Customer: customer,
  Country: ' France ',
});

const orders: ImportMapping = {
  skip: [{ reason: 'test_order', when: { Order: { matches: '^T' } } }],
  group: {
    by: 'Order',
    itemsAt: 'properties.products',
    item: {
      sku: { column: 'Sku' },
      quantity: { column: 'Qty', type: 'integer' },
      price: { column: 'Price', type: 'number' },
    },
  },
  message: {
    type: { const: 'track' },
    event: [
      { when: { Order: { matches: '^R' } }, const: 'Order Refunded' },
      { const: 'Order Completed' },
    ],
    userId: { column: 'Customer', type: 'integer', asString: true },
    anonymousId: { when: { Customer: { empty: true } }, template: 'guest-{Order}' },
    'properties.order_id': { column: 'Order' },
    'properties.total': { sum: ['quantity', 'price'], round: 2, abs: true },
    'context.location.country': { column: 'Country' },
  },
};

describe('compileMapping', () => {
  const compiled = compileMapping(orders, columns);

  it('builds one message per group, with its items and their sum', () => {
    const message = compiled.build([
      row('1001', 'A', '3', '0.1', '17850.0'),
      row('1001', 'B', '1', '0.2', '17850.0'),
    ]);
    expect(message).toEqual({
      type: 'track',
      event: 'Order Completed',
      userId: '17850',
      properties: {
        order_id: '1001',
        total: 0.5,
        products: [
          { sku: 'A', quantity: 3, price: 0.1 },
          { sku: 'B', quantity: 1, price: 0.2 },
        ],
      },
      context: { location: { country: 'France' } },
    });
  });

  it('takes the first alternative whose condition holds and leaves out empty values', () => {
    const message = compiled.build([row('R1002', 'A', '-2', '1.25')]);
    expect(message).toMatchObject({
      event: 'Order Refunded',
      anonymousId: 'guest-R1002',
      properties: { total: 2.5 },
    });
    expect(message).not.toHaveProperty('userId');
  });

  it('names the column, the text and the row of a value that does not convert', () => {
    const error: unknown = (() => {
      try {
        compiled.build([row('1003', 'A', '1', '2'), row('1003', 'B', 'two', '2')]);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ValueError);
    expect(error).toMatchObject({ message: 'Qty: "two" is not an integer', rowIndex: 1 });
  });

  it('gives the skip reason and the group key of a row', () => {
    expect(compiled.skipReason(row('T1', 'A', '1', '1'))).toBe('test_order');
    expect(compiled.skipReason(row('1001', 'A', '1', '1'))).toBeUndefined();
    expect(compiled.groupKey?.(row(' 1001 ', 'A', '1', '1'))).toBe('1001');
  });

  it('builds a message from each row when the mapping does not group', () => {
    const perRow = compileMapping(
      { message: { type: { const: 'identify' }, userId: { column: 'Customer' } } },
      columns,
    );
    expect(perRow.groupKey).toBeUndefined();
    expect(perRow.build([row('1', 'A', '1', '1', 'c-7')])).toEqual({
      type: 'identify',
      userId: 'c-7',
    });
  });

  it('refuses a mapping naming columns the file does not have, listing the ones it has', () => {
    expect(() => compileMapping(orders, ['Order', 'Sku', 'Qty'])).toThrow(
      'the mapping names "Customer", "Country", "Price", which the file does not have (its columns: Order, Sku, Qty)',
    );
  });
});
