/** The bridge as the sandbox uses it: log lines and metrics filed under the plugin's name. */
import { describe, expect, it } from 'vitest';
import { bridgeUnderTest } from './bridge-under-test.fixture.js';
import { MAX_CUSTOM_METRICS } from './plugin-metrics.js';

describe('createPluginBridge', () => {
  it('files log lines under the plugin, in the log book and the host log', () => {
    const { bridge, logBook, logged } = bridgeUnderTest({ plugin: 'crm' });
    bridge.log('warn', 'CRM is slow', { ms: 900 });
    expect(logBook.lines('crm')).toMatchObject([
      { level: 'warn', message: 'CRM is slow', fields: { ms: 900 } },
    ]);
    expect(logged).toMatchObject([{ plugin: 'crm', level: 40, msg: 'CRM is slow' }]);
  });

  it('counts the plugin’s metrics and warns once in its log when it uses too many names', () => {
    const { bridge, metrics, logBook } = bridgeUnderTest({ plugin: 'crm' });
    for (let i = 0; i <= MAX_CUSTOM_METRICS + 5; i++) bridge.metric(`metric ${i}`, 1);
    bridge.metric('metric 0', 4);

    expect(metrics.snapshot('crm').custom.metric_0).toBe(5);
    expect(Object.keys(metrics.snapshot('crm').custom)).toHaveLength(MAX_CUSTOM_METRICS);
    expect(logBook.lines('crm')).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: `ctx.metrics: more than ${MAX_CUSTOM_METRICS} distinct metric names; "metric ${MAX_CUSTOM_METRICS}" and any further new names are ignored`,
      }),
    ]);
  });
});
