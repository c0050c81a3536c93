import { describe, expect, it } from 'vitest';
import type { ContentRule } from './content-rules-api.js';
import {
  formFromRule,
  fromLocalInput,
  ruleFromForm,
  scheduleState,
  toLocalInput,
} from './content-rule-form.js';

const rule = (patch: Partial<ContentRule> = {}): ContentRule => ({
  id: 'r1',
  name: 'Pro upsell',
  slot: 'hero',
  content: { title: 'Go Pro', link: '/upgrade' },
  priority: 10,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
  version: 3,
  ...patch,
});

const inputOf = (form: ReturnType<typeof formFromRule>) => {
  const result = ruleFromForm(form);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.input;
};

describe('content rule form', () => {
  it('sends back what it read, without the server-set fields', () => {
    const saved = rule({
      segmentId: 'trial-users',
      urlPattern: '/pricing*',
      content: {
        title: 'Go Pro',
        body: 'Two weeks free',
        badge: { text: 'new' },
        image: { src: '/a.png' },
      },
      startsAt: '2026-05-01T08:00:00.000Z',
      endsAt: '2026-06-01T08:00:30.000Z',
    });
    expect(inputOf(formFromRule(saved))).toEqual({
      name: 'Pro upsell',
      slot: 'hero',
      segmentId: 'trial-users',
      urlPattern: '/pricing*',
      content: {
        title: 'Go Pro',
        body: 'Two weeks free',
        badge: { text: 'new' },
        image: { src: '/a.png' },
      },
      priority: 10,
      startsAt: '2026-05-01T08:00:00.000Z',
      endsAt: '2026-06-01T08:00:30.000Z',
    });
  });

  it('keeps text fields in their inputs and the rest in the extra JSON', () => {
    const form = formFromRule(rule({ content: { title: 'Hi', html: '<b>x</b>', tracking: 7 } }));
    expect(form.content).toEqual({ title: 'Hi', body: '', html: '<b>x</b>', image: '', link: '' });
    expect(JSON.parse(form.extra)).toEqual({ tracking: 7 });
  });

  it('sends exactly one audience', () => {
    const form = formFromRule(rule({ segmentId: 'vip' }));
    expect(inputOf({ ...form, audience: 'everyone' })).not.toHaveProperty('segmentId');
    const byCondition = inputOf({ ...form, audience: 'condition', condition: { segment: 'x' } });
    expect(byCondition.condition).toEqual({ segment: 'x' });
    expect(byCondition).not.toHaveProperty('segmentId');
  });

  it('reports what to fix before sending', () => {
    const form = {
      ...formFromRule(),
      audience: 'segment' as const,
      extra: '{"title": "twice"',
      priority: '2000',
      startsAt: '2026-05-02T00:00',
      endsAt: '2026-05-01T00:00',
    };
    const result = ruleFromForm(form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.problems).sort()).toEqual([
      'endsAt',
      'extra',
      'priority',
      'segmentId',
    ]);
    const repeated = ruleFromForm({
      ...formFromRule(),
      content: { ...form.content, title: 'A' },
      extra: '{"title":"B"}',
    });
    expect(repeated).toEqual({
      ok: false,
      problems: { extra: 'Extra JSON repeats title; fill it in once.' },
    });
  });

  it('turns local schedule times into instants and back', () => {
    const instant = fromLocalInput('2026-05-01T09:30');
    expect(instant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(toLocalInput(instant!)).toBe('2026-05-01T09:30');
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('not a date')).toBeNull();
  });

  it('tells whether a rule is in force', () => {
    const now = Date.parse('2026-05-10T00:00:00Z');
    expect(scheduleState({}, now)).toBe('active');
    expect(scheduleState({ startsAt: '2026-06-01T00:00:00Z' }, now)).toBe('scheduled');
    expect(scheduleState({ endsAt: '2026-05-10T00:00:00Z' }, now)).toBe('ended');
  });
});
