import { describe, expect, it } from 'vitest';
import { enrichInIsolates } from './isolated-chain.js';
import { isolatedPluginsPerTest } from './isolated-plugins.fixture.js';
import { aTrackingEvent } from './plugin-runtime.contract.fixture.js';

const loadIsolated = isolatedPluginsPerTest();

async function plugin(name: string, members: string) {
  const runtime = await loadIsolated(
    `{ name: '${name}', version: '1.0.0', host: '*', ${members} }`,
  );
  return { name, runtime };
}

describe('enrichInIsolates', () => {
  it('relays a batch through the plugins in order, each seeing what the previous added', async () => {
    const first = await plugin(
      'first',
      `enrich(e) {
      if (e.messageId === 'bot') return { drop: 'bot' };
      e.enrichment.first = e.messageId.length; return e;
    }`,
    );
    const second = await plugin(
      'second',
      `enrich(e) {
      if (e.messageId === 'bad') throw new Error('cannot');
      return { ...e, enrichment: { ...e.enrichment, second: e.enrichment.first * 10 } };
    }`,
    );
    const result = await enrichInIsolates(
      [first, second],
      [
        aTrackingEvent({ messageId: 'm-1' }),
        aTrackingEvent({ messageId: 'bot' }),
        aTrackingEvent({ messageId: 'bad' }),
      ],
    );
    expect(result.items.map((item) => item.event.enrichment)).toEqual([
      { first: 3, second: 30 },
      {},
      { first: 3 },
    ]);
    expect(result.items[1]!.drop).toEqual({ plugin: 'first', reason: 'bot' });
    expect(result.errors).toEqual([{ plugin: 'second', index: 2, message: 'cannot' }]);
    expect(result.calls.map((call) => [call.plugin, call.outcome])).toEqual([
      ['first', 'ok'],
      ['second', 'ok'],
    ]);
  });

  it('skips a plugin whose call fails as a whole: the next one gets the batch as it was', async () => {
    const looper = await plugin('looper', `enrich(e) { for (;;) {} }`);
    const tagger = await plugin(
      'tagger',
      `enrich(e) { return { ...e, enrichment: { tagged: true } }; }`,
    );
    const result = await enrichInIsolates([looper, tagger], [aTrackingEvent()]);
    expect(result.items[0]!.event.enrichment).toEqual({ tagged: true });
    expect(result.calls.map((call) => [call.plugin, call.outcome])).toEqual([
      ['looper', 'timeout'],
      ['tagger', 'ok'],
    ]);
  });

  it('keeps a non-JSON result out of the batch, as an error of the plugin that made it', async () => {
    const dater = await plugin(
      'dater',
      `enrich(e) { return { ...e, enrichment: { at: new Date(0) } }; }`,
    );
    const result = await enrichInIsolates([dater], [aTrackingEvent()]);
    expect(result.items[0]!.event.enrichment).toEqual({});
    expect(result.errors[0]).toMatchObject({ plugin: 'dater', index: 0 });
    expect(result.errors[0]!.message).toContain('a Date at enrichment.at');
  });
});
