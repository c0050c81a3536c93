import { describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin/index.js';
import { aPageView, aStoredEvent, aTrackingEvent, anIdentify } from './sample-events.js';
import { testPlugin } from './test-plugin.js';

interface TenantConfig {
  header: string;
  dropBots: boolean;
}

/** Tags events with a tenant from a context field; drops bots; fails on a poisoned event. */
const tenantPlugin = definePlugin<TenantConfig>({
  name: 'tenant',
  version: '1.0.0',
  host: '>=0.1.0 <1',
  configSchema: {
    type: 'object',
    properties: {
      header: { type: 'string', minLength: 1 },
      dropBots: { type: 'boolean', default: true },
    },
    required: ['header'],
    additionalProperties: false,
  },
  setup({ config, log, metrics }) {
    log.info('tenant plugin ready', { header: config.header });
    metrics.increment('setups');
  },
  enrich(event, { config, metrics }) {
    if (config.dropBots && event.context.bot === true) return { drop: 'bot' };
    if (event.properties.poison) throw new Error('poisoned event');
    metrics.increment('tagged');
    event.context.touched = true; // a copy: the caller's event stays as it was
    return { ...event, enrichment: { ...event.enrichment, tenant: event.context[config.header] } };
  },
});

describe('testPlugin(…).send', () => {
  const harness = () => testPlugin(tenantPlugin).withConfig({ header: 'tenant' });

  it('enriches each event in order, reports drops and throws per event', async () => {
    const first = aTrackingEvent({ context: { tenant: 'acme' } });
    const bot = aPageView({ context: { bot: true } });
    const poisoned = aTrackingEvent({ properties: { poison: true } });
    const last = anIdentify({ context: { tenant: 'globex' } });
    const report = await harness().send([first, bot, poisoned, last]);
    expect(report.events.map((event) => [event.messageId, event.enrichment.tenant])).toEqual([
      [first.messageId, 'acme'],
      [poisoned.messageId, undefined],
      [last.messageId, 'globex'],
    ]);
    expect(report.events[1]).toEqual(poisoned);
    expect(report.dropped).toEqual([{ messageId: bot.messageId, reason: 'bot' }]);
    expect(report.errors).toEqual([{ messageId: poisoned.messageId, message: 'poisoned event' }]);
    expect(report.metrics).toEqual({ setups: 1, tagged: 2 });
    expect(first.context).toEqual({ tenant: 'acme' });
  });

  it('runs setup once, fills defaults, and reports each send on its own', async () => {
    const tenant = harness();
    expect(await tenant.setUp()).toEqual({ header: 'tenant', dropBots: true });
    const first = await tenant.send(aTrackingEvent());
    const second = await tenant.send([aTrackingEvent(), aTrackingEvent()]);
    expect(first.logs).toEqual([
      { level: 'info', message: 'tenant plugin ready', fields: { header: 'tenant' } },
    ]);
    expect(first.metrics).toEqual({ setups: 1, tagged: 1 });
    expect(second.logs).toEqual([]);
    expect(second.metrics).toEqual({ tagged: 2 });
  });

  it('rejects an invalid config with an error naming the field', async () => {
    await expect(testPlugin(tenantPlugin).send(aTrackingEvent())).rejects.toThrow(
      'invalid config of plugin tenant: header is required',
    );
    await expect(
      testPlugin(tenantPlugin).withConfig({ header: 'tenant', dropBots: 'yes' }).setUp(),
    ).rejects.toThrow('invalid config of plugin tenant: dropBots must be boolean');
    await expect(
      testPlugin(tenantPlugin).withConfig({ header: 'tenant', tenants: [] }).setUp(),
    ).rejects.toThrow('tenants is not a known setting');
  });

  it('reports an enrich that returns nothing as an error, the event going on as it was', async () => {
    const forgetful = definePlugin({
      name: 'forgetful',
      version: '1.0.0',
      host: '>=0.1.0',
      enrich: () => undefined as never,
    });
    const event = aTrackingEvent();
    const { events, errors } = await testPlugin(forgetful).send(event);
    expect(events).toEqual([event]);
    expect(errors).toEqual([
      {
        messageId: event.messageId,
        message: 'enrich returned undefined, not an event',
      },
    ]);
  });

  it('refuses an enriched event that is not JSON, and a config change, as the host does', async () => {
    const careless = definePlugin<{ tags: string[] }>({
      name: 'careless',
      version: '1.0.0',
      host: '>=0.1.0',
      configSchema: { type: 'object', properties: { tags: { type: 'array', default: ['a'] } } },
      enrich(event, { config }) {
        if (event.type === 'page') config.tags.push('b');
        return { ...event, enrichment: { seenAt: new Date() } };
      },
    });
    const { errors } = await testPlugin(careless).send([aTrackingEvent(), aPageView()]);
    expect(errors.map(({ message }) => message)).toEqual([
      'enrich returned a Date at enrichment.seenAt; events are JSON (dates as ISO strings)',
      expect.stringMatching(/object is not extensible/),
    ]);
  });

  it('hands enrich only the declared fields and puts its result back, as the host does', async () => {
    const band = definePlugin({
      name: 'band',
      version: '1.0.0',
      host: '>=0.1.0',
      permissions: { fields: ['properties.price'] },
      enrich(event) {
        const price = Number(event.properties.price);
        if (price > 100) return { ...event, userId: 'someone-else' };
        const seen = Object.keys(event);
        return {
          ...event,
          enrichment: { band: price > 10 ? 'high' : 'low', seen },
        };
      },
    });
    const cheap = aTrackingEvent({ messageId: 'm-1' });
    const dear = aTrackingEvent({ messageId: 'm-2', properties: { price: 500 } });
    const { events, errors } = await testPlugin(band).send([cheap, dear]);
    expect(events).toEqual([
      { ...cheap, enrichment: { ...cheap.enrichment, band: 'high', seen: ['properties'] } },
      dear,
    ]);
    expect(errors).toEqual([
      {
        messageId: 'm-2',
        message: 'enrich changed "userId", which its permissions.fields do not name',
      },
    ]);
  });

  it('gives each harness made by with… its own store', async () => {
    const counting = definePlugin({
      name: 'counting',
      version: '1.0.0',
      host: '>=0.1.0',
      async enrich(event, { store }) {
        await store.increment(`events:${event.type}`);
        return event;
      },
    });
    const base = testPlugin(counting).withStore({ 'events:track': 10 });
    expect((await base.send([aTrackingEvent(), aPageView()])).store).toEqual({
      'events:page': 1,
      'events:track': 11,
    });
    expect((await base.withStore().send(aTrackingEvent())).store).toEqual({ 'events:track': 1 });
  });
});

describe('testPlugin(…).sendStored', () => {
  const received: string[] = [];
  const consumer = definePlugin({
    name: 'orders',
    version: '1.0.0',
    host: '>=0.1.0',
    permissions: { events: ['Tracked'] },
    async onEvent(event, { store }) {
      if (event.data.event === 'Refused') throw new Error('the CRM refused it');
      received.push(event.id);
      await store.increment(`orders:${event.streamId}`);
    },
  });

  it('delivers the permitted types in order, reporting throws and ignored types per event', async () => {
    const order = aStoredEvent();
    const refused = aStoredEvent({ data: { event: 'Refused' } });
    const segment = aStoredEvent({ type: 'SegmentEntered', data: { segmentId: 'vip' } });
    const report = await testPlugin(consumer).sendStored([order, refused, segment]);
    expect(received).toEqual([order.id]);
    expect(report.delivered).toEqual([order.id, refused.id]);
    expect(report.ignored).toEqual([segment.id]);
    expect(report.errors).toEqual([
      { id: refused.id, hook: 'onEvent', message: 'the CRM refused it' },
    ]);
    expect(report.store).toEqual({ 'orders:user-user-42': 1 });
  });

  it('hands onBatch, when there is one, every permitted event at once; its throw counts for each', async () => {
    const batches: number[] = [];
    const bulk = definePlugin({
      name: 'bulk',
      version: '1.0.0',
      host: '>=0.1.0',
      permissions: { events: ['Tracked'] },
      onEvent() {
        throw new Error('the host calls onBatch instead');
      },
      onBatch(events) {
        batches.push(events.length);
        throw new Error('bulk API down');
      },
    });
    const events = [aStoredEvent(), aStoredEvent()];
    const { errors } = await testPlugin(bulk).sendStored(events);
    expect(batches).toEqual([2]);
    expect(errors).toEqual(
      events.map(({ id }) => ({ id, hook: 'onBatch', message: 'bulk API down' })),
    );
  });

  it('refuses a consumer that declares no event types, as the host would', async () => {
    const undeclared = definePlugin({ ...consumer, permissions: {} });
    await expect(testPlugin(undeclared).sendStored(aStoredEvent())).rejects.toThrow(
      'plugin orders must list the event types it consumes in permissions.events',
    );
  });
});
