import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../import.errors.js';
import type { ImportMapping } from '../mapping/mapping.types.js';
import { csvMessages } from './csv-messages.js';
import type { SourceItem } from './source-item.js';

const mapping: ImportMapping = {
  skip: [{ reason: 'test_order', when: { Order: { matches: '^T' } } }],
  group: {
    by: 'Order',
    itemsAt: 'properties.products',
    item: { sku: { column: 'Sku' }, quantity: { column: 'Qty', type: 'integer' } },
    maxOpenGroups: 2,
  },
  message: {
    type: { const: 'track' },
    event: { const: 'Order Completed' },
    userId: { column: 'Customer' },
    'properties.order_id': { column: 'Order' },
  },
};

async function read(text: string, using = mapping): Promise<{ items: SourceItem[]; rows: number }> {
  const counters = { rows: 0 };
  const items: SourceItem[] = [];
  for await (const item of csvMessages(Readable.from([Buffer.from(text)]), using, counters)) {
    items.push(item);
  }
  return { items, rows: counters.rows };
}

const summary = (items: SourceItem[]): unknown[] =>
  items.map((item) =>
    item.kind === 'message'
      ? [item.line, (item.message.properties as { products: unknown[] }).products.length]
      : [item.line, item.reason],
  );

describe('csvMessages', () => {
  it('groups rows by key, keeping line numbers of multi-line fields', async () => {
    const { items, rows } = await read(
      'Order,Sku,Qty,Customer\n1,A,1,c1\n1,"B\nwith a note",2,c1\n2,C,3,c2\n',
    );
    expect(rows).toBe(3);
    expect(items).toEqual([
      {
        kind: 'message',
        line: 2,
        message: {
          type: 'track',
          event: 'Order Completed',
          userId: 'c1',
          properties: {
            order_id: '1',
            products: [
              { sku: 'A', quantity: 1 },
              { sku: 'B\nwith a note', quantity: 2 },
            ],
          },
        },
      },
      expect.objectContaining({ kind: 'message', line: 5 }),
    ]);
  });

  it('counts skipped rows and rejects bad ones with their line and reason', async () => {
    const { items } = await read(
      [
        'Order,Sku,Qty,Customer',
        'T1,A,1,c1', // 2: skipped
        '1,A,1', // 3: a field short
        ',A,1,c1', // 4: no key
        '2,A,1,c2',
        '2,B,lots,c2', // 6: rejects group 2
        '3,A,1,c3',
        '4,A,1,c4',
        '5,A,1,c5',
        '3,B,1,c3', // 10: group 3 was emitted when 5 opened
      ].join('\n'),
    );
    expect(summary(items)).toEqual([
      [2, 'test_order'],
      [3, 'wrong_column_count'],
      [4, 'missing_group_key'],
      [5, 'invalid_value'],
      [7, 1],
      [10, 'late_group_row'],
      [8, 1],
      [9, 1],
    ]);
    expect(items[3]).toMatchObject({
      detail: 'line 6: Qty: "lots" is not an integer',
      rows: [
        { Order: '2', Sku: 'A', Qty: '1', Customer: 'c2' },
        { Order: '2', Sku: 'B', Qty: 'lots', Customer: 'c2' },
      ],
    });
  });

  it('builds one message per row without grouping, with the delimiter of the mapping', async () => {
    const { items } = await read('Order;Customer\n1;c1\n2;c2\n', {
      csv: { delimiter: ';' },
      message: { type: { const: 'identify' }, userId: { column: 'Customer' } },
    });
    expect(items.map((item) => item.kind === 'message' && item.message)).toEqual([
      { type: 'identify', userId: 'c1' },
      { type: 'identify', userId: 'c2' },
    ]);
  });

  it('refuses a header that lacks a column of the mapping before reading rows', async () => {
    await expect(read('Order,Sku\n1,A\n')).rejects.toThrow(ImportError);
    await expect(read('Order,Sku\n1,A\n')).rejects.toThrow(
      'the mapping names "Customer", "Qty", which the file does not have (its columns: Order, Sku)',
    );
  });

  it('stops at a quoting error, past which rows cannot be told apart', async () => {
    await expect(read('Order,Sku,Qty,Customer\n1,"A"x,1,c1\n')).rejects.toThrow(
      /Invalid Closing Quote.*line 2/,
    );
  });
});
