import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../testing/run-cli.js';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import type { RecordedEvent } from '../ports/event-store.port.js';
import type { ImportSummary } from './report/import-summary.js';

/*
 * `uspa import` end to end: the real CLI, the real ingestion pipeline, an embedded store, on the
 * Online Retail sample. The expected figures were computed from the CSV independently of this
 * code (see core/fixtures/online-retail/README.md for what the mapping does).
 */
const fixtures = fileURLToPath(new URL('../../fixtures/online-retail/', import.meta.url));
const sample = join(fixtures, 'online-retail-sample.csv');
const mapping = join(fixtures, 'mapping.json');
const dataDir = mkdtempSync(join(tmpdir(), 'uspa-import-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const uspa = (args: string[]): Promise<CliRun> =>
  runCli(args, { USPA_DATA_DIR: dataDir, USPA_LOG_LEVEL: 'warn' });

async function storedEvents(): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore({
    file: join(dataDir, 'events.db'),
    synchronous: 'FULL',
    pollIntervalMs: 50,
  });
  try {
    // The interactions only: a fresh store also holds the built-in plugins' installation.
    return await store.readAll({
      maxCount: 100_000,
      filter: { streamPrefixes: ['user-', 'anon-'] },
    });
  } finally {
    await store.close();
  }
}

interface Order {
  event: string;
  userId?: string;
  anonymousId?: string;
  timestamp: string;
  properties: {
    order_id: string;
    total: number;
    revenue?: number;
    currency: string;
    products: { sku: string; name?: string; price: number; quantity: number }[];
  };
}

const importSample = (rejected: string): Promise<CliRun> =>
  uspa(['import', sample, '--mapping', mapping, '--rejected', rejected, '--json']);

describe('uspa import (Online Retail sample)', () => {
  it('imports one order or refund per invoice, and nothing twice when run again', async () => {
    const rejectedFile = join(dataDir, 'rejected.ndjson');
    const first = await importSample(rejectedFile);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as ImportSummary;
    expect(summary).toMatchObject({
      rowsRead: 3133,
      rowsSkipped: { total: 4, byReason: { bad_debt_adjustment: 3, stock_adjustment: 1 } },
      messagesBuilt: 143,
      // The two largest guest invoices (527 and 592 lines) are over the 32 KB of a tracking call,
      // within the limit of imported records.
      accepted: 143,
      rejected: { total: 0 },
      dropped: { total: 0 },
    });
    expect(existsSync(rejectedFile)).toBe(false);

    const events = await storedEvents();
    const orders = events.filter((e) => e.type === 'Tracked').map((e) => e.data as Order);
    expect(events).toHaveLength(143);
    expect(orders).toHaveLength(143);
    expect(orders.filter((o) => o.event === 'Order Completed')).toHaveLength(135);
    expect(orders.filter((o) => o.event === 'Order Refunded')).toHaveLength(8);
    expect(orders.filter((o) => o.userId !== undefined)).toHaveLength(129);
    expect(orders.filter((o) => o.anonymousId?.startsWith('guest-'))).toHaveLength(14);
    // 97 customers' user streams and 14 guests' anonymous streams.
    expect(new Set(events.map((e) => e.streamId)).size).toBe(111);

    const again = await importSample(rejectedFile);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ messagesBuilt: 143, accepted: 143 });
    expect(await storedEvents()).toHaveLength(143);
  });

  it('stores the figures of known invoices', async () => {
    const orders = new Map(
      (await storedEvents())
        .filter((e) => e.type === 'Tracked')
        .map((e) => e.data as Order)
        .map((o) => [o.properties.order_id, o]),
    );
    // The first invoice of the file: 7 lines, Σ quantity × price = 139.12, in winter (GMT).
    const first = orders.get('536365');
    expect(first).toMatchObject({
      event: 'Order Completed',
      userId: '17850',
      timestamp: '2010-12-01T08:26:00.000Z',
      properties: { total: 139.12, revenue: 139.12, currency: 'GBP' },
    });
    expect(first?.properties.products).toHaveLength(7);
    expect(first?.properties.products[0]).toEqual({
      product_id: '85123A',
      sku: '85123A',
      name: 'WHITE HANGING HEART T-LIGHT HOLDER',
      price: 2.55,
      quantity: 6,
    });
    // Its rows are interrupted by cancellation C542805; they still make one order.
    expect(orders.get('542806')?.properties).toMatchObject({ total: 846.69 });
    expect(orders.get('542806')?.properties.products).toHaveLength(39);
    // A refund carries positive quantities and no revenue.
    const refund = orders.get('C542805');
    expect(refund).toMatchObject({ event: 'Order Refunded', userId: '14606' });
    expect(refund?.properties.total).toBe(3.8);
    expect(refund?.properties.revenue).toBeUndefined();
    expect(refund?.properties.products.map((p) => p.quantity)).toEqual([1, 1]);
    // 14:50 British Summer Time.
    expect(orders.get('563184')?.timestamp).toBe('2011-08-12T13:50:00.000Z');
  });

  it('says in one line why it cannot import, with exit code 1', async () => {
    const missing = await uspa(['import', join(dataDir, 'absent.csv'), '--mapping', mapping]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^uspa: cannot read .*absent\.csv: ENOENT[^\n]*\n$/);

    const badMapping = join(dataDir, 'bad-mapping.json');
    writeFileSync(
      badMapping,
      JSON.stringify({ message: { type: { const: 'track' }, userId: { column: 'Customer ID' } } }),
    );
    const wrong = await uspa([
      'import',
      sample,
      '--mapping',
      badMapping,
      '--rejected',
      join(dataDir, 'r.ndjson'),
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      'uspa: the mapping names "Customer ID", which the file does not have (its columns: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country)\n',
    );

    const noMapping = await uspa(['import', sample]);
    expect(noMapping.stderr).toBe('uspa: a CSV import needs --mapping <file>\n');
  });
});
