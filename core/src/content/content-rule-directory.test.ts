import { describe, expect, it } from 'vitest';
import type { Condition } from '../domain/content-rules.js';
import {
  ContentRuleDirectory,
  type ContentAudience,
  type ContentRuleChange,
} from './content-rule-directory.js';
import { aContentRule, ruleDeleted } from './content-rule.fixture.js';

const NOW = Date.parse('2026-03-15T12:00:00Z');
const PAGE = 'https://shop.example/pricing?utm_source=mail';
const nobody: ContentAudience = { segments: new Set<string>() };
const inSegments = (...ids: string[]): ContentAudience => ({ segments: new Set(ids) });

function directoryOf(...events: { type: string; data: unknown }[]): ContentRuleDirectory {
  const directory = new ContentRuleDirectory();
  events.forEach((event) => directory.apply(event));
  return directory;
}

const winnerOf = (directory: ContentRuleDirectory, audience = nobody, url = PAGE, now = NOW) =>
  directory.resolve(audience, url, now).hero?.ruleId;

describe('ContentRuleDirectory.resolve', () => {
  it('gives each slot the content of its winning rule', () => {
    const rules = directoryOf(
      aContentRule('hero-1').withContent({ title: 'Spring sale', html: '<b>−20 %</b>' }).defined(),
      aContentRule('banner-1').inSlot('banner').withContent({ body: 'Free shipping' }).defined(),
    );
    expect(rules.resolve(nobody, PAGE, NOW)).toEqual({
      hero: {
        ruleId: 'hero-1',
        slot: 'hero',
        content: { title: 'Spring sale', html: '<b>−20 %</b>' },
      },
      banner: { ruleId: 'banner-1', slot: 'banner', content: { body: 'Free shipping' } },
    });
  });

  it('lets the highest priority win, whatever the order of definition', () => {
    const rules = directoryOf(
      aContentRule('low').withPriority(-5).defined(),
      aContentRule('high').withPriority(100).defined(),
      aContentRule('mid').withPriority(7).defined(),
    );
    expect(winnerOf(rules)).toBe('high');
  });

  it('breaks a priority tie in favour of a targeted audience over everyone', () => {
    const rules = directoryOf(
      aContentRule('everyone').updatedAt('2026-03-10T00:00:00.000Z').defined(),
      aContentRule('vip').forSegment('vip').updatedAt('2026-01-01T00:00:00.000Z').defined(),
    );
    expect(winnerOf(rules, inSegments('vip'))).toBe('vip');
    expect(winnerOf(rules, nobody)).toBe('everyone');
  });

  it('then in favour of the most recently updated rule, then of the smallest id', () => {
    const rules = directoryOf(
      aContentRule('b-older').updatedAt('2026-03-01T00:00:00.000Z').defined(),
      aContentRule('c-newer').updatedAt('2026-03-02T00:00:00.000Z').defined(),
    );
    expect(winnerOf(rules)).toBe('c-newer');
    rules.apply(aContentRule('a-same').updatedAt('2026-03-02T00:00:00.000Z').defined());
    expect(winnerOf(rules)).toBe('a-same');
  });

  it('applies a rule from startsAt (inclusive) until endsAt (exclusive)', () => {
    const rules = directoryOf(
      aContentRule('always').withPriority(0).defined(),
      aContentRule('sale')
        .withPriority(10)
        .between('2026-03-15T12:00:00.000Z', '2026-03-16T00:00:00.000Z')
        .defined(),
    );
    expect(winnerOf(rules, nobody, PAGE, NOW - 1)).toBe('always');
    expect(winnerOf(rules, nobody, PAGE, NOW)).toBe('sale');
    expect(winnerOf(rules, nobody, PAGE, Date.parse('2026-03-15T23:59:59.999Z'))).toBe('sale');
    expect(winnerOf(rules, nobody, PAGE, Date.parse('2026-03-16T00:00:00.000Z'))).toBe('always');
  });

  it('honours open-ended windows', () => {
    const rules = directoryOf(
      aContentRule('from-march').between('2026-03-01T00:00:00Z', undefined).defined(),
      aContentRule('until-feb')
        .withPriority(1)
        .between(undefined, '2026-03-01T00:00:00Z')
        .defined(),
    );
    expect(winnerOf(rules, nobody, PAGE, Date.parse('2026-02-15T00:00:00Z'))).toBe('until-feb');
    expect(winnerOf(rules, nobody, PAGE, NOW)).toBe('from-march');
  });

  it('applies a rule only on pages matching its URL pattern', () => {
    const rules = directoryOf(
      aContentRule('anywhere').defined(),
      aContentRule('pricing').withPriority(5).onPages('/pricing*').defined(),
      aContentRule('blog').withPriority(9).onPages('/blog/*').defined(),
      aContentRule('eu-shop').withPriority(20).onPages('https://eu.shop.example/*').defined(),
    );
    expect(winnerOf(rules, nobody, 'https://shop.example/pricing/teams')).toBe('pricing');
    expect(winnerOf(rules, nobody, 'https://shop.example/blog/spring')).toBe('blog');
    expect(winnerOf(rules, nobody, 'https://shop.example/about')).toBe('anywhere');
    expect(winnerOf(rules, nobody, 'https://eu.shop.example/pricing')).toBe('eu-shop');
    expect(rules.resolve(nobody, undefined, NOW).hero?.ruleId).toBe('anywhere');
  });

  it('applies a segment rule to its members and a condition rule where the condition holds', () => {
    const proPlan: Condition = { property: 'traits.plan', op: 'equals', value: 'pro' };
    const rules = directoryOf(
      aContentRule('everyone').defined(),
      aContentRule('trial').forSegment('trial-users').withPriority(5).defined(),
      aContentRule('pro').forCondition(proPlan).withPriority(10).defined(),
    );
    const isPro = (condition: Condition) => JSON.stringify(condition) === JSON.stringify(proPlan);
    expect(winnerOf(rules, { segments: new Set(['trial-users']), matches: isPro })).toBe('pro');
    expect(winnerOf(rules, { segments: new Set(['trial-users']), matches: () => false })).toBe(
      'trial',
    );
    expect(winnerOf(rules, { segments: new Set(['other']) })).toBe('everyone');
  });

  it('never applies a condition rule when no evaluator is given', () => {
    const rules = directoryOf(
      aContentRule('cond').forCondition({ segment: 'x' }).withPriority(50).defined(),
    );
    expect(rules.resolve(nobody, PAGE, NOW)).toEqual({});
  });

  it('forgets deleted rules and ignores a definition that arrives after the deletion', () => {
    const rules = directoryOf(
      aContentRule('base').defined(),
      aContentRule('promo').withPriority(10).defined(),
      ruleDeleted('promo'),
    );
    expect(winnerOf(rules)).toBe('base');
    expect(rules.get('promo')).toBeUndefined();
    rules.apply(aContentRule('promo').withPriority(10).atVersion(2).defined());
    expect(winnerOf(rules)).toBe('base');
    rules.apply(ruleDeleted('base'));
    expect(rules.resolve(nobody, PAGE, NOW)).toEqual({});
  });

  it('moves a replaced rule to its new slot and keeps only its newest version', () => {
    const rules = directoryOf(aContentRule('r').atVersion(1).defined());
    rules.apply(aContentRule('r').inSlot('footer').atVersion(2).defined());
    rules.apply(aContentRule('r').inSlot('sidebar').atVersion(1).defined());
    expect(Object.keys(rules.resolve(nobody, PAGE, NOW))).toEqual(['footer']);
    expect(rules.get('r')).toMatchObject({ slot: 'footer', version: 2 });
  });
});

describe('ContentRuleDirectory.list and onChange', () => {
  it('lists rules by slot, in the order they compete, optionally for one slot', () => {
    const rules = directoryOf(
      aContentRule('h-low').defined(),
      aContentRule('f').inSlot('footer').defined(),
      aContentRule('h-high').withPriority(3).defined(),
    );
    expect(rules.list().map((rule) => rule.id)).toEqual(['f', 'h-high', 'h-low']);
    expect(rules.list({ slot: 'hero' }).map((rule) => rule.id)).toEqual(['h-high', 'h-low']);
    expect(rules.list({ slot: 'none' })).toEqual([]);
  });

  it('tells listeners which slots changed, once per new fact, until they unsubscribe', () => {
    const rules = new ContentRuleDirectory();
    const changes: ContentRuleChange[] = [];
    const unsubscribe = rules.onChange((change) => changes.push(change));
    rules.apply(aContentRule('r').atVersion(1).defined());
    rules.apply(aContentRule('r').atVersion(1).defined());
    rules.apply(aContentRule('r').inSlot('footer').atVersion(2).defined());
    rules.apply(ruleDeleted('r'));
    rules.apply(ruleDeleted('r'));
    unsubscribe();
    rules.apply(aContentRule('s').defined());
    expect(
      changes.map(({ ruleId, slots, rule }) => ({ ruleId, slots, version: rule?.version })),
    ).toEqual([
      { ruleId: 'r', slots: ['hero'], version: 1 },
      { ruleId: 'r', slots: ['hero', 'footer'], version: 2 },
      { ruleId: 'r', slots: ['footer'], version: undefined },
    ]);
  });

  it('keeps applying and notifying when one listener throws', () => {
    const logged: unknown[] = [];
    const rules = new ContentRuleDirectory({ error: (object) => logged.push(object) });
    const seen: string[] = [];
    rules.onChange(() => {
      throw new Error('gateway down');
    });
    rules.onChange((change) => seen.push(change.ruleId));
    rules.apply(aContentRule('r').defined());
    expect(seen).toEqual(['r']);
    expect(rules.get('r')?.id).toBe('r');
    expect(logged).toHaveLength(1);
  });
});
