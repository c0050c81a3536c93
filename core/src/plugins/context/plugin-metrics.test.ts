import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MAX_CUSTOM_METRICS, PluginMetrics, sanitiseMetricName } from './plugin-metrics.js';

describe('PluginMetrics', () => {
  it('counts calls by outcome, faults and durations, on the registry and per plugin', async () => {
    const registry = new Registry();
    const metrics = new PluginMetrics(registry);
    metrics.call('geo', 'enrich', 'ok', 0.002);
    metrics.call('geo', 'enrich', 'ok', 0.003);
    metrics.call('geo', 'enrich', 'timeout', 0.5);
    metrics.call('crm', 'onEvent', 'error', 0.1);
    metrics.fault('geo', 'timeout');

    expect(metrics.snapshot('geo')).toEqual({
      calls: 3,
      outcomes: { ok: 2, error: 0, timeout: 1, memory: 0 },
      faults: 1,
      custom: {},
    });
    expect(metrics.snapshot('unknown')).toMatchObject({ calls: 0, faults: 0 });
    const text = await registry.metrics();
    expect(text).toContain('uspa_plugin_calls_total{plugin="geo",hook="enrich",outcome="ok"} 2');
    expect(text).toContain(
      'uspa_plugin_calls_total{plugin="geo",hook="enrich",outcome="timeout"} 1',
    );
    expect(text).toContain('uspa_plugin_faults_total{plugin="geo",kind="timeout"} 1');
    expect(text).toContain('uspa_plugin_call_duration_seconds_count{plugin="geo",hook="enrich"} 3');
    expect(text).toContain(
      'uspa_plugin_call_duration_seconds_sum{plugin="geo",hook="enrich"} 0.505',
    );

    // Calls made between two reads of the registry are added, not counted twice.
    metrics.call('geo', 'enrich', 'ok', 0.001);
    const later = await registry.metrics();
    expect(later).toContain('uspa_plugin_calls_total{plugin="geo",hook="enrich",outcome="ok"} 3');
    expect(later).toContain(
      'uspa_plugin_calls_total{plugin="crm",hook="onEvent",outcome="error"} 1',
    );
    expect(await registry.metrics()).toContain(
      'uspa_plugin_calls_total{plugin="geo",hook="enrich",outcome="ok"} 3',
    );
  });

  it('keeps a plugin’s own counters under sanitised names', async () => {
    const registry = new Registry();
    const metrics = new PluginMetrics(registry);
    expect(metrics.custom('crm', 'Contacts Synced', 2)).toBe('counted');
    metrics.custom('crm', 'contacts-synced');
    expect(metrics.snapshot('crm').custom).toEqual({ contacts_synced: 3 });
    expect(await registry.metrics()).toContain(
      'uspa_plugin_metric_total{plugin="crm",name="contacts_synced"} 3',
    );
    expect(() => metrics.custom('crm', 'x', -1)).toThrow(/by must be a number ≥ 0/);
    expect(() => metrics.custom('crm', '!!!')).toThrow(/not a metric name/);
  });

  it(`counts at most ${MAX_CUSTOM_METRICS} distinct names per plugin, saying so once`, () => {
    const metrics = new PluginMetrics(new Registry());
    for (let i = 0; i < MAX_CUSTOM_METRICS; i++)
      expect(metrics.custom('noisy', `m${i}`)).toBe('counted');
    expect(metrics.custom('noisy', 'one_more')).toBe('limit_reached');
    expect(metrics.custom('noisy', 'and_another')).toBe('ignored');
    expect(metrics.custom('noisy', 'm0')).toBe('counted'); // Known names still count.
    expect(metrics.custom('quiet', 'one_more')).toBe('counted'); // The limit is per plugin.
    expect(Object.keys(metrics.snapshot('noisy').custom)).toHaveLength(MAX_CUSTOM_METRICS);
    expect(metrics.snapshot('noisy').custom.m0).toBe(2);
  });

  it('forgets an uninstalled plugin’s numbers and series', async () => {
    const registry = new Registry();
    const metrics = new PluginMetrics(registry);
    metrics.call('gone', 'enrich', 'ok', 0.001);
    metrics.fault('gone', 'error');
    metrics.custom('gone', 'hits');
    metrics.call('kept', 'enrich', 'ok', 0.001);
    metrics.forget('gone');
    expect(metrics.snapshot('gone')).toMatchObject({ calls: 0, faults: 0, custom: {} });
    const text = await registry.metrics();
    expect(text).not.toContain('plugin="gone"');
    expect(text).toContain('plugin="kept"');

    // Reinstalled, it counts afresh.
    metrics.call('gone', 'enrich', 'ok', 0.001);
    expect(await registry.metrics()).toContain(
      'uspa_plugin_calls_total{plugin="gone",hook="enrich",outcome="ok"} 1',
    );
  });
});

describe('sanitiseMetricName', () => {
  it.each([
    ['Contacts Synced', 'contacts_synced'],
    ['__a--b__', 'a_b'],
    ['ÜBER.count', 'ber_count'],
    ['x'.repeat(100), 'x'.repeat(64)],
  ])('%s → %s', (name, sanitised) => {
    expect(sanitiseMetricName(name)).toBe(sanitised);
  });
});
