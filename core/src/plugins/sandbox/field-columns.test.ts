import { eventFields, type TrackingEvent } from '@uspa/sdk';
import { describe, expect, it } from 'vitest';
import { FieldColumns } from './field-columns.js';
import { isolatedPluginsPerTest } from './isolated-plugins.fixture.js';
import { aTrackingEvent } from './plugin-runtime.contract.fixture.js';

const loadIsolated = isolatedPluginsPerTest();

/** A plugin that answers what it was given, as JSON under `enrichment.seen`. */
const echo = (fields: string[]) =>
  `{ name: 'echo', version: '1.0.0', host: '*', permissions: { fields: ${JSON.stringify(fields)} },
     enrich(e) { return { ...e, enrichment: { seen: JSON.stringify(e) } }; } }`;

/** Events whose declared fields are there, missing at each depth, or not objects on the way. */
const shapes: TrackingEvent[] = [
  aTrackingEvent({ context: { ip: '81.2.69.160', page: { url: 'https://shop.example/p?x=1' } } }),
  aTrackingEvent({ context: undefined }),
  aTrackingEvent({ context: { ip: '10.0.0.1' } }),
  aTrackingEvent({ context: { page: 'not an object' } }),
  aTrackingEvent({ context: { page: ['an', 'array'] } }),
  aTrackingEvent({ context: { page: { url: undefined } }, properties: { price: null } }),
  aTrackingEvent({ properties: { price: { amount: 3, currency: 'EUR' } } }),
  aTrackingEvent({ properties: { price: [1, 2, { three: 'ü €' }] } }),
  aTrackingEvent({ properties: undefined as never, messageId: 'm-\u2028-"quoted"' }),
];

describe('field columns', () => {
  it('give an isolated plugin exactly the narrowed events that the rules of its fields make', async () => {
    const declared = ['context.page.url', 'properties.price', 'context.ip', 'messageId'];
    const runtime = await loadIsolated(echo(declared));
    const fields = eventFields(declared);
    const outcomes = await runtime.enrichChanges(shapes, fields);
    const seen = outcomes.map((outcome): unknown =>
      outcome.kind === 'ok' ? JSON.parse(String(outcome.changes.enrichment?.seen)) : outcome,
    );
    const narrowed = shapes.map((event): unknown =>
      JSON.parse(JSON.stringify(fields.narrow(event))),
    );
    expect(seen).toEqual(narrowed);
    expect(seen[1]).toEqual({ messageId: 'm-1', properties: { price: 4.95 } });
    expect(seen[3]).toEqual({ context: {}, messageId: 'm-1', properties: { price: 4.95 } });
    expect(seen[5]).toEqual({
      context: { page: {} },
      messageId: 'm-1',
      properties: { price: null },
    });
  });

  it('encode each path once per batch, for every plugin that reads it', () => {
    const columns = new FieldColumns(shapes);
    const url = columns.of(['context', 'page', 'url']);
    expect(columns.of(['context', 'page', 'url'])).toBe(url);
    expect(JSON.parse(url)).toEqual([
      ['https://shop.example/p?x=1', null, null, null, null, null, null, null, null],
      [1, 0, 2, 1, 3, 1, 4, 1, 5, 2, 6, 1, 7, 1, 8, 1],
    ]);
  });
});
