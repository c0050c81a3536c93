import { describe, expect, it } from 'vitest';
import type { Condition } from '../domain/content-rules.js';
import { contentRuleValidator, type ConditionCheck } from './content-rule-validation.js';

/** A stand-in for the segment checker: accepts property conditions on `traits.*` only. */
const checkCondition: ConditionCheck = (input) => {
  const candidate = input as { property?: unknown; op?: unknown };
  if (typeof candidate.property === 'string' && candidate.property.startsWith('traits.')) {
    return { ok: true, condition: input as Condition };
  }
  return {
    ok: false,
    errors: [{ path: '/property', message: 'must be a traits.* path' }, 'op is unknown'],
  };
};
const validate = contentRuleValidator(checkCondition);
const valid = { name: 'Spring sale', slot: 'hero', content: { title: '−20 %' } };

describe('contentRuleValidator', () => {
  it('accepts a minimal rule and defaults its priority to 0', () => {
    expect(validate(valid)).toEqual({ ok: true, input: { ...valid, priority: 0 } });
  });

  it('keeps every given field, the html content as given, and the checked condition', () => {
    const condition = { property: 'traits.plan', op: 'equals', value: 'pro' };
    const body = {
      ...valid,
      content: { html: '<img src=x onerror=alert(1)>' },
      condition,
      urlPattern: '/pricing*',
      priority: -1000,
      startsAt: '2026-05-01T00:00:00Z',
      endsAt: '2026-05-02T00:00:00+02:00',
    };
    expect(validate(body)).toEqual({ ok: true, input: body });
  });

  it('ignores the server-set fields of a rule sent back as GET gave it', () => {
    const result = validate({ ...valid, id: 'x', version: 3, createdAt: 'a', updatedAt: 'b' });
    expect(result).toEqual({ ok: true, input: { ...valid, priority: 0 } });
  });

  it('lists every problem of a body at once', () => {
    const result = validate({
      name: '',
      slot: 'Hero Banner!',
      segmentId: '-vip',
      condition: { property: 'geo.country' },
      content: ['not', 'an', 'object'],
      priority: 1.5,
      startsAt: 'tomorrow',
      endsAt: '2026-05-01',
      urlPattern: 'pricing',
      colour: 'red',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && [...result.errors].sort()).toEqual(
      [
        'colour is not a content rule field',
        'name must NOT have fewer than 1 characters',
        'slot must be 1–64 letters, digits, - or _, starting with a letter or digit',
        'segmentId must be 1–64 letters, digits, - or _, starting with a letter or digit',
        'urlPattern must start with /, * or http',
        'content must be object',
        'priority must be integer',
        'startsAt must be an ISO-8601 instant such as 2026-05-01T00:00:00Z',
        'endsAt must be an ISO-8601 instant such as 2026-05-01T00:00:00Z',
        'Give segmentId or condition, not both (neither means everyone)',
        'condition.property: must be a traits.* path',
        'condition: op is unknown',
      ].sort(),
    );
  });

  it('names missing fields', () => {
    expect(validate({})).toEqual({
      ok: false,
      errors: ['name is required', 'slot is required', 'content is required'],
    });
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'rule', 42]) {
      expect(validate(body)).toEqual({ ok: false, errors: ['A content rule is a JSON object'] });
    }
  });

  it('bounds priority, name, slot and URL pattern lengths', () => {
    const errorsOf = (body: object) => {
      const result = validate({ ...valid, ...body });
      return result.ok ? [] : result.errors;
    };
    expect(errorsOf({ priority: 1001 })).toEqual(['priority must be <= 1000']);
    expect(errorsOf({ priority: -1001 })).toEqual(['priority must be >= -1000']);
    expect(errorsOf({ name: 'n'.repeat(201) })).toEqual([
      'name must NOT have more than 200 characters',
    ]);
    expect(errorsOf({ slot: `s${'x'.repeat(63)}` })).toEqual([]);
    expect(errorsOf({ slot: `s${'x'.repeat(64)}` })).toHaveLength(1);
    expect(errorsOf({ urlPattern: `/${'p'.repeat(500)}` })).toEqual([
      'urlPattern must NOT have more than 500 characters',
    ]);
  });

  it('refuses content over 16 KB once serialised', () => {
    const result = validate({ ...valid, content: { body: 'x'.repeat(16 * 1024) } });
    expect(result).toEqual({
      ok: false,
      errors: ['content is 16395 bytes once serialised; the limit is 16384'],
    });
  });

  it('requires startsAt to be strictly before endsAt, offsets taken into account', () => {
    const same = validate({
      ...valid,
      startsAt: '2026-05-01T02:00:00+02:00',
      endsAt: '2026-05-01T00:00:00Z',
    });
    expect(same).toEqual({ ok: false, errors: ['startsAt must be before endsAt'] });
  });

  it('refuses impossible calendar dates', () => {
    const result = validate({ ...valid, startsAt: '2026-13-45T00:00:00Z' });
    expect(result.ok).toBe(false);
  });
});
