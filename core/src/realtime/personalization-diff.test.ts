import type { SlotContent } from '@uspa/sdk';
import { describe, expect, it } from 'vitest';
import { diffPersonalization } from './personalization-diff.js';

const slot = (name: string, title: string): SlotContent => ({
  ruleId: `r-${name}-${title}`,
  slot: name,
  content: { title },
});

describe('diffPersonalization', () => {
  it('is undefined when segments (in any order) and every slot are the same', () => {
    const before = { segments: ['a', 'b'], content: { hero: slot('hero', 'Hi') } };
    const after = { segments: ['b', 'a'], content: { hero: slot('hero', 'Hi') } };
    expect(diffPersonalization(before, after)).toBeUndefined();
  });

  it('names new segments without content when no slot changes', () => {
    const content = { hero: slot('hero', 'Hi') };
    expect(diffPersonalization({ segments: [], content }, { segments: ['vip'], content })).toEqual({
      segments: ['vip'],
    });
  });

  it('sends changed and new slots, null for withdrawn ones, and leaves equal ones out', () => {
    const before = {
      segments: ['vip'],
      content: {
        hero: slot('hero', 'Hi'),
        banner: slot('banner', 'Sale'),
        footer: slot('footer', 'x'),
      },
    };
    const after = {
      segments: ['vip'],
      content: {
        hero: slot('hero', 'Welcome'),
        footer: slot('footer', 'x'),
        side: slot('side', 'New'),
      },
    };
    expect(diffPersonalization(before, after)).toEqual({
      content: { hero: slot('hero', 'Welcome'), side: slot('side', 'New'), banner: null },
    });
  });

  it('compares content by value, nested fields included', () => {
    const rich = (price: number): SlotContent => ({
      ruleId: 'r',
      slot: 'offer',
      content: { product: { sku: 'S-1', price } },
    });
    const before = { segments: [], content: { offer: rich(10) } };
    expect(
      diffPersonalization(before, { segments: [], content: { offer: rich(10) } }),
    ).toBeUndefined();
    expect(diffPersonalization(before, { segments: [], content: { offer: rich(12) } })).toEqual({
      content: { offer: rich(12) },
    });
  });

  it('keeps a slot named __proto__ an ordinary key', () => {
    const odd = JSON.parse(
      '{"__proto__": {"ruleId": "r", "slot": "__proto__", "content": {}}}',
    ) as Record<string, SlotContent>;
    const change = diffPersonalization(
      { segments: [], content: {} },
      { segments: [], content: odd },
    );
    expect(Object.keys(change?.content ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(change?.content)).toBe(Object.prototype);
  });
});
