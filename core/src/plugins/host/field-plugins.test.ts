import { eventFields, type PluginDefinition, type TrackingEvent } from '@uspa/sdk';
import { describe, expect, it } from 'vitest';
import { InProcessPluginRuntime } from '../sandbox/in-process-plugin-runtime.js';
import { isolatedPluginsPerTest } from '../sandbox/isolated-plugins.fixture.js';
import { aTrackingEvent, TEST_LIMITS } from '../sandbox/plugin-runtime.contract.fixture.js';
import { RecordingBridge } from '../sandbox/recording-bridge.fixture.js';
import { enrichAtOnce, type FieldPlugin } from './field-plugins.js';

const loadIsolated = isolatedPluginsPerTest();

async function isolated(name: string, fields: string[], enrich: string): Promise<FieldPlugin> {
  const runtime = await loadIsolated(
    `{ name: '${name}', version: '1.0.0', host: '*', permissions: { fields: ${JSON.stringify(fields)} }, ${enrich} }`,
  );
  return { name, runtime, fields: eventFields(fields) };
}

function inProcess(
  name: string,
  fields: string[],
  enrich: PluginDefinition['enrich'],
): FieldPlugin {
  const definition = { name, version: '1.0.0', host: '*', permissions: { fields }, enrich };
  const runtime = new InProcessPluginRuntime(definition, {
    config: {},
    bridge: new RecordingBridge(),
    limits: TEST_LIMITS,
  });
  return { name, runtime, fields: eventFields(fields) };
}

const enrichmentOf = (result: { items: { event: TrackingEvent }[] }) =>
  result.items.map((item) => item.event.enrichment);

describe('enrichAtOnce', () => {
  it('gives what running the plugins one after another gives, asking again where one read what an earlier one changed', async () => {
    const rounder = await isolated(
      'rounder',
      ['properties.price'],
      `enrich(e) {
        if (e.properties.price > 100) e.properties.price = Math.round(e.properties.price);
        return { ...e, enrichment: { rounded: true } };
      }`,
    );
    const band = await isolated(
      'band',
      ['properties.price', 'enrichment.rounded'],
      `enrich(e) {
        return { ...e, enrichment: { ...e.enrichment, band: String(e.properties.price) + (e.enrichment?.rounded ? ' (rounded)' : '') } };
      }`,
    );
    const locale = await isolated(
      'locale',
      ['context.locale'],
      `enrich(e) { return { ...e, enrichment: { locale: e.context.locale } }; }`,
    );
    const result = await enrichAtOnce(
      [rounder, band, locale],
      [
        aTrackingEvent({
          messageId: 'm-1',
          properties: { price: 4.95 },
          context: { locale: 'en-GB' },
        }),
        aTrackingEvent({
          messageId: 'm-2',
          properties: { price: 149.5 },
          context: { locale: 'de-DE' },
        }),
      ],
    );
    expect(enrichmentOf(result)).toEqual([
      { rounded: true, band: '4.95 (rounded)', locale: 'en-GB' },
      { rounded: true, band: '150 (rounded)', locale: 'de-DE' },
    ]);
    expect(result.items.map((item) => item.event.properties.price)).toEqual([4.95, 150]);
    // band read what rounder added for both events, so it was asked again, once, for both.
    expect(result.calls.map((call) => call.plugin).sort()).toEqual([
      'band',
      'band',
      'locale',
      'rounder',
    ]);
    expect(result.errors).toEqual([]);
  });

  it('calls the plugins at the same time, not one after another', async () => {
    let released: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (released = resolve));
    // The first answers only once the second has been called: in turn, it would time out.
    const waiting = inProcess('waiting', ['properties.price'], async (event) => {
      await second;
      return { ...event, enrichment: { waited: true } };
    });
    const releasing = inProcess('releasing', ['context.ip'], (event) => {
      released();
      return { ...event, enrichment: { released: true } };
    });
    const result = await enrichAtOnce([waiting, releasing], [aTrackingEvent()]);
    expect(enrichmentOf(result)).toEqual([{ waited: true, released: true }]);
    expect(result.calls.map((call) => call.outcome)).toEqual(['ok', 'ok']);
  });

  it('drops what an earlier plugin drops, whatever later plugins answered for it', async () => {
    const bots = await isolated(
      'bots',
      ['context.userAgent'],
      `enrich(e) { return /bot/.test(e.context.userAgent) ? { drop: 'bot' } : e; }`,
    );
    const tagger = await isolated(
      'tagger',
      ['type'],
      `enrich(e) { return { ...e, enrichment: { tagged: e.type } }; }`,
    );
    const result = await enrichAtOnce(
      [bots, tagger],
      [
        aTrackingEvent({ messageId: 'm-1', context: { userAgent: 'Googlebot/2.1' } }),
        aTrackingEvent({ messageId: 'm-2', context: { userAgent: 'Firefox/120' } }),
      ],
    );
    expect(result.items[0]).toEqual({
      event: aTrackingEvent({ messageId: 'm-1', context: { userAgent: 'Googlebot/2.1' } }),
      drop: { plugin: 'bots', reason: 'bot' },
    });
    expect(result.items[1]!.event.enrichment).toEqual({ tagged: 'track' });
  });

  it('keeps the changes of the others when one call fails as a whole', async () => {
    const looper = await isolated('looper', ['type'], `enrich(e) { for (;;) {} }`);
    const tagger = await isolated(
      'tagger',
      ['type'],
      `enrich(e) { return { ...e, enrichment: { tagged: e.type } }; }`,
    );
    const result = await enrichAtOnce([looper, tagger], [aTrackingEvent()]);
    expect(enrichmentOf(result)).toEqual([{ tagged: 'track' }]);
    expect(result.calls.map((call) => [call.plugin, call.outcome]).sort()).toEqual([
      ['looper', 'timeout'],
      ['tagger', 'ok'],
    ]);
  });
});
