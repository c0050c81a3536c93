import { describe, expect, it } from 'vitest';
import {
  NO_MATCH,
  VISIBLE_STREAMS_REGEX,
  escapeRegex,
  exactTypesRegex,
  matchesFilter,
  prefixesRegex,
  toServerFilter,
} from './eventstoredb-filters.js';

/**
 * The server runs these patterns with .NET's regex engine. For what they use (escaped literals,
 * alternation, `^`, lookahead) JavaScript agrees, except `\z`, written `$(?![\s\S])` here.
 */
const asJs = (pattern: string): RegExp => new RegExp(pattern.replace(/\\z$/, '$(?![\\s\\S])'));

describe('regex escaping', () => {
  it('makes every special character literal', () => {
    const literal = String.raw`a.b*c+d?e^f$g|h(i)j[k]l{m}n\o#p`;
    expect(asJs(`^${escapeRegex(literal)}$`).test(literal)).toBe(true);
    expect(asJs(`^${escapeRegex('a.c')}$`).test('abc')).toBe(false);
    expect(escapeRegex('Déjà Vu 👀')).toBe('Déjà Vu 👀');
  });
});

describe('event type filters', () => {
  it('match the listed types exactly, not parts or look-alikes of them', () => {
    const regex = asJs(exactTypesRegex(['Order.Paid', 'Tracked']));
    expect(regex.test('Order.Paid')).toBe(true);
    expect(regex.test('Tracked')).toBe(true);
    expect(regex.test('OrderXPaid')).toBe(false);
    expect(regex.test('Tracked2')).toBe(false);
    expect(regex.test('Tracked\n')).toBe(false);
    expect(regex.test('xTracked')).toBe(false);
  });

  it('match nothing for an empty list', () => {
    expect(exactTypesRegex([])).toBe(NO_MATCH);
    expect(asJs(NO_MATCH).test('Tracked')).toBe(false);
    expect(asJs(NO_MATCH).test('')).toBe(false);
  });
});

describe('stream prefix filters', () => {
  it('compare ordinally: case and composed characters count', () => {
    const regex = asJs(prefixesRegex(['user-', 'profil-é']));
    expect(regex.test('user-1')).toBe(true);
    expect(regex.test('USER-1')).toBe(false);
    expect(regex.test('profil-é-東京')).toBe(true);
    expect(regex.test('profil-e\u0301-東京')).toBe(false);
    expect(regex.test('anon-user-1')).toBe(false);
  });

  it('hide system and claim streams when there is no filter', () => {
    const visible = asJs(VISIBLE_STREAMS_REGEX);
    expect(visible.test('user-1')).toBe(true);
    expect(visible.test('$stats-0')).toBe(false);
    expect(visible.test('uspa-eventid-0b5c2f3e')).toBe(false);
  });
});

describe('server filters', () => {
  it('filter on the field the port filter names', () => {
    expect(toServerFilter({ eventTypes: ['A'] })).toMatchObject({
      filterOn: 'eventType',
      regex: exactTypesRegex(['A']),
    });
    expect(toServerFilter({ streamPrefixes: ['user-'] })).toMatchObject({
      filterOn: 'streamName',
      regex: '^(?:user-)',
    });
    expect(toServerFilter(undefined)).toMatchObject({
      filterOn: 'streamName',
      regex: VISIBLE_STREAMS_REGEX,
    });
  });
});

describe('client-side check', () => {
  it('applies the port filter exactly and never shows hidden events', () => {
    expect(matchesFilter({ eventTypes: ['A'] }, 'user-1', 'A')).toBe(true);
    expect(matchesFilter({ eventTypes: ['A'] }, 'user-1', 'AB')).toBe(false);
    expect(matchesFilter({ streamPrefixes: ['user-'] }, 'user-1', 'A')).toBe(true);
    expect(matchesFilter({ streamPrefixes: ['user-'] }, 'USER-1', 'A')).toBe(false);
    expect(
      matchesFilter({ eventTypes: ['UspaEventIdClaimed'] }, 'uspa-eventid-1', 'UspaEventIdClaimed'),
    ).toBe(false);
    expect(matchesFilter(undefined, 'user-1', '$streamDeleted')).toBe(false);
    expect(matchesFilter(undefined, 'user-1', 'A')).toBe(true);
  });
});
