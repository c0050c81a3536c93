import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PluginMetrics } from '../context/plugin-metrics.js';
import { isolatedPluginsPerTest } from '../sandbox/isolated-plugins.fixture.js';
import { aTrackingEvent } from '../sandbox/plugin-runtime.contract.fixture.js';
import type { PluginCallError, PluginRuntime } from '../sandbox/plugin-runtime.js';
import { pluginEnrichment } from './plugin-enrichment.js';

const loadIsolated = isolatedPluginsPerTest();

async function isolated(name: string, members: string) {
  const runtime = await loadIsolated(
    `{ name: '${name}', version: '1.0.0', host: '*', ${members} }`,
  );
  return { name, runtime: runtime as PluginRuntime };
}

function enrichment(enrichers: { name: string; runtime: PluginRuntime }[]) {
  const faults: { plugin: string; message: string }[] = [];
  const step = pluginEnrichment(
    {
      enrichers: () => enrichers,
      fault: (plugin: string, error: PluginCallError) =>
        faults.push({ plugin, message: error.message }),
    },
    new PluginMetrics(new Registry()),
  );
  return { step, faults };
}

describe('pluginEnrichment with declared fields', () => {
  it('hands an isolated plugin only its fields and keeps the rest of each event', async () => {
    const utm = await isolated(
      'utm',
      `permissions: { fields: ['context.page.url', 'properties.price'] },
      enrich(e) {
        const source = e.context.page.url.split('utm_source=')[1];
        return { ...e, enrichment: { ...e.enrichment, utm: { source, saw: Object.keys(e).sort() } } };
      }`,
    );
    const { step, faults } = enrichment([utm]);
    const event = aTrackingEvent({
      userId: 'u-7',
      traits: { email: 'ada@example.com' },
      context: { ip: '81.2.69.160', page: { url: 'https://shop.example/?utm_source=news' } },
    });
    const [result] = await step([event]);
    expect(result).toEqual({
      kind: 'ok',
      value: {
        ...event,
        enrichment: { utm: { source: 'news', saw: ['context', 'properties'] } },
      },
    });
    expect(faults).toEqual([]);
  });

  it('runs narrowed plugins between relayed ones, in declared order, each seeing what came before', async () => {
    const first = await isolated(
      'first',
      `enrich(e) { return { ...e, enrichment: { ...e.enrichment, first: e.properties.price * 2 } }; }`,
    );
    const second = await isolated(
      'second',
      `permissions: { fields: ['enrichment.first', 'properties.price'] },
      enrich(e) {
        if (e.properties.price > 100) return { drop: 'too dear' };
        return { ...e, properties: { price: e.enrichment.first + 1 }, enrichment: { ...e.enrichment, second: true } };
      }`,
    );
    const third = await isolated(
      'third',
      `enrich(e) { return { ...e, enrichment: { ...e.enrichment, third: e.properties.price } }; }`,
    );
    const { step } = enrichment([first, second, third]);
    const results = await step([
      aTrackingEvent({ messageId: 'm-1', properties: { price: 4, sku: 'T-3' } }),
      aTrackingEvent({ messageId: 'm-2', properties: { price: 400 } }),
    ]);
    expect(results[0]).toEqual({
      kind: 'ok',
      value: aTrackingEvent({
        messageId: 'm-1',
        properties: { price: 9, sku: 'T-3' },
        enrichment: { first: 8, second: true, third: 9 },
      }),
    });
    expect(results[1]).toEqual({ kind: 'drop', reason: 'second:too dear' });
  });

  it('refuses a change outside the declared fields for that event only, and records the fault', async () => {
    const greedy = await isolated(
      'greedy',
      `permissions: { fields: ['properties.price'] },
      enrich(e) {
        if (e.properties.price > 10) return { ...e, userId: 'someone-else' };
        if (e.properties.price > 5) return { ...e, enrichment: { when: new Date(0) } };
        return { ...e, enrichment: { band: 'low' } };
      }`,
    );
    const { step, faults } = enrichment([greedy]);
    const cheap = aTrackingEvent({ messageId: 'm-1', properties: { price: 4 } });
    const dear = aTrackingEvent({ messageId: 'm-2', properties: { price: 40 } });
    const dated = aTrackingEvent({ messageId: 'm-3', properties: { price: 6 } });
    const results = await step([cheap, dear, dated]);
    expect(results).toEqual([
      { kind: 'ok', value: { ...cheap, enrichment: { band: 'low' } } },
      { kind: 'ok', value: dear },
      { kind: 'ok', value: dated },
    ]);
    expect(faults).toEqual([
      {
        plugin: 'greedy',
        message:
          'enrich changed "userId", which its permissions.fields do not name (2 of 3 events)',
      },
    ]);
  });

  it('applies what changed in place, removals and async results, and only declared fields', async () => {
    const scrubber = await isolated(
      'scrubber',
      `permissions: { fields: ['context.ip', 'context.page', 'properties.price'] },
      async enrich(e) {
        delete e.context.ip;
        e.context.page.title = e.context.page.title.toUpperCase();
        e.properties.price = Math.round(e.properties.price);
        return e;
      }`,
    );
    const { step, faults } = enrichment([scrubber]);
    const event = aTrackingEvent({
      context: { ip: '81.2.69.160', locale: 'en-GB', page: { title: 'Tins', path: '/t' } },
      properties: { price: 4.95, sku: 'T-3' },
      enrichment: { geo: { country: 'GB' } },
    });
    const [result] = await step([event]);
    expect(result).toEqual({
      kind: 'ok',
      value: {
        ...event,
        context: { locale: 'en-GB', page: { title: 'TINS', path: '/t' } },
        properties: { price: 5, sku: 'T-3' },
      },
    });
    expect(event.context).toEqual({
      ip: '81.2.69.160',
      locale: 'en-GB',
      page: { title: 'Tins', path: '/t' },
    });
    expect(faults).toEqual([]);
  });

  it('refuses a changed field that is not JSON, naming where', async () => {
    const dater = await isolated(
      'dater',
      `permissions: { fields: ['properties.seenAt'] },
      enrich(e) { return { properties: { seenAt: new Map() } }; }`,
    );
    const { step, faults } = enrichment([dater]);
    const event = aTrackingEvent();
    expect(await step([event])).toEqual([{ kind: 'ok', value: event }]);
    expect(faults).toEqual([
      {
        plugin: 'dater',
        message:
          'enrich returned a Map at properties.seenAt; events are JSON (dates as ISO strings)',
      },
    ]);
  });

  it('refuses fields that are not event paths when the plugin loads', async () => {
    await expect(
      isolated('odd', `permissions: { fields: ['context..ip'] }, enrich(e) { return e; }`),
    ).rejects.toThrow(
      'invalid plugin definition: permissions.fields[0] ("context..ip") has an empty segment',
    );
  });
});
