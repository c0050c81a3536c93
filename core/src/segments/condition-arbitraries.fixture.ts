import fc from 'fast-check';
import type {
  Condition,
  EventCondition,
  PropertyCondition,
  PropertyOperator,
  ProfileLike,
} from '@uspa/projections';

/**
 * Random profiles and conditions for the back-end agreement test. Values come from small pools
 * so that conditions and profiles meet often, and the pools hold what back ends get wrong:
 * `*`, `?`, `\` (wildcard syntax), `@ # & < > ~ "` (Lucene regexp operators), accents, an
 * astral character and U+FF5E (which UTF-16 orders after it, code points before), numbers that
 * compare with strings only by mistake, booleans against 1 and 0, doubles beyond 2^53.
 */

export const DAY = 86_400_000;
export const BASE_NOW = Date.UTC(2025, 5, 1, 12);

const CHARS = ['a', 'b', 'A', 'é', '😀', '\uFF5E', '*', '?', '\\', '"', '@', '~', '.', ' ', '1'];
const WORDS = ['ab', 'a*b', 'b?', 'a\\b', '"ab"', '😀a', '\uFF5Eb', 'aé', 'Ab', 'ba', '', '1'];
const text = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.array(fc.constantFrom(...CHARS), { maxLength: 4 }).map((chars) => chars.join('')),
);
const shortText = fc.oneof(
  fc.constantFrom(...CHARS),
  fc.constantFrom(...WORDS.filter((word) => word !== '')),
  fc.constantFrom('a*', '*b', 'b?', '?', '\\b', 'a\\', '"a'),
);
const number = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 12 }) },
  { weight: 4, arbitrary: fc.integer({ min: -40, max: 40 }).map((n) => n / 4) },
  // Doubles JSON writes as integers beyond 2^53, and ones it writes with an exponent.
  { weight: 1, arbitrary: fc.constantFrom(2 ** 60, -(2 ** 60), 2 ** 53 + 2, 1e21, 0.1 + 0.2) },
);
const scalar = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: number },
  { weight: 1, arbitrary: fc.oneof(fc.boolean(), fc.constantFrom(0, 1, '1', 'true')) },
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.record({ a: scalar, b: fc.array(scalar, { maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const instant = (now: number, days: number) =>
  fc
    .integer({ min: -days * DAY, max: 2 * DAY })
    .map((offset) => new Date(now + offset).toISOString());

export const SEGMENT_IDS = ['vip', 'churned', 'new'];
const EVENT_NAMES = ['Order Completed', 'Product Viewed', 'Say "hi"', '__proto__'];
const TYPES = ['Tracked', 'PageViewed'];

export function aProfile(now: number): fc.Arbitrary<ProfileLike> {
  const entry = fc.record(
    {
      type: fc.constantFrom(...TYPES),
      name: fc.constantFrom(...EVENT_NAMES),
      at: instant(now, 45),
      properties: fc.record(
        { total: fc.oneof(number, text), currency: text, tags: fc.array(text, { maxLength: 2 }) },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['type', 'at', 'properties'] },
  );
  return fc.record(
    {
      traits: fc.record(
        { plan: value, age: value, tags: value, vip: value, name: value },
        { requiredKeys: [] },
      ),
      computed: fc.record({ score: value }, { requiredKeys: [] }),
      geo: fc.record({ country: fc.constantFrom('DE', 'FR', 'de') }, { requiredKeys: [] }),
      counters: fc.record({ total: fc.nat(20) }),
      firstSeen: instant(now, 60),
      groups: fc.array(fc.constantFrom('g1', 'g2'), { maxLength: 2 }),
      activity: fc.array(entry, { maxLength: 7 }),
      segments: fc.subarray(SEGMENT_IDS),
    },
    { requiredKeys: ['traits', 'counters', 'activity', 'segments'] },
  );
}

const PROFILE_PATHS = [
  'traits.plan',
  'traits.age',
  'traits.tags',
  'traits.vip',
  'traits.name',
  'traits.plan.a',
  'computed.score',
  'geo.country',
  'counters.total',
  'firstSeen',
  'groups',
  'traits.absent',
];
const EVENT_PATHS = [
  'properties.total',
  'properties.currency',
  'properties.tags',
  'properties.none',
];

const REGEX_PIECES = [
  'a',
  'b',
  'é',
  '😀',
  '.',
  '[a-c]',
  '[^a]',
  '\\*',
  '\\?',
  '\\\\',
  '\\"',
  '\\@',
];
const REGEX_REPEATED = ['a+', 'b*', 'é?', '(a|b)', '(?:ab|ba)', '[0-9]{1,2}', '.*', '\\d'];
const regex = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.constantFrom(...REGEX_PIECES, ...REGEX_REPEATED), { minLength: 1, maxLength: 4 }),
    fc.boolean(),
  )
  .map(([start, pieces, end]) => `${start ? '^' : ''}${pieces.join('')}${end ? '$' : ''}`);

const orderedNumbers = ([a, b]: [number, number]): [number, number] => (a <= b ? [a, b] : [b, a]);

/** A pair of strings in ascending order by code point, as `between` compares them. */
function orderedTexts([a, b]: [string, string]): [string, string] {
  const [x, y] = [Array.from(a, (c) => c.codePointAt(0)!), Array.from(b, (c) => c.codePointAt(0)!)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? [a, b] : [b, a];
  }
  return x.length <= y.length ? [a, b] : [b, a];
}

function aProperty(paths: readonly string[]): fc.Arbitrary<PropertyCondition> {
  const path = fc.constantFrom(...paths);
  const withValue = (op: PropertyOperator, values: fc.Arbitrary<PropertyCondition['value']>) =>
    fc.record({ property: path, op: fc.constant(op), value: values });
  return fc.oneof(
    withValue('equals', scalar),
    withValue('notEquals', scalar),
    withValue('gt', fc.oneof(number, text)),
    withValue('gte', fc.oneof(number, text)),
    withValue('lt', fc.oneof(number, text)),
    withValue('lte', fc.oneof(number, text)),
    withValue(
      'between',
      fc.oneof(
        fc.tuple(number, number).map(orderedNumbers),
        fc.tuple(text, text).map(orderedTexts),
      ),
    ),
    fc.record({ property: path, op: fc.constantFrom<PropertyOperator>('exists', 'missing') }),
    withValue('contains', shortText),
    withValue('startsWith', shortText),
    withValue('endsWith', shortText),
    withValue('in', fc.array(scalar, { minLength: 1, maxLength: 3 })),
    withValue('notIn', fc.array(scalar, { minLength: 1, maxLength: 3 })),
    withValue('matchesRegex', regex),
  );
}

function anEvent(now: number): fc.Arbitrary<EventCondition> {
  const count = fc
    .tuple(fc.option(fc.nat(3), { nil: undefined }), fc.option(fc.nat(3), { nil: undefined }))
    .map(([min, max]) =>
      min !== undefined && max !== undefined && min > max ? { min: max, max: min } : { min, max },
    )
    .map(({ min, max }) => ({
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
    }));
  const within = fc.oneof(
    fc.integer({ min: 1, max: 40 }).map((lastDays) => ({ lastDays })),
    fc
      .tuple(instant(now, 45), instant(now, 45))
      .map(orderedTexts)
      .map(([from, to]) => ({ from, to })),
  );
  return fc
    .record(
      {
        type: fc.constantFrom(...TYPES),
        name: fc.constantFrom(...EVENT_NAMES),
        where: fc.array(aProperty(EVENT_PATHS), { maxLength: 2 }),
        count,
        within,
      },
      { requiredKeys: [] },
    )
    .map((event) => ({ event }));
}

export function aCondition(now: number): fc.Arbitrary<Condition> {
  const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: aProperty(PROFILE_PATHS) },
      { weight: 3, arbitrary: anEvent(now) },
      { weight: 1, arbitrary: fc.constantFrom(...SEGMENT_IDS).map((segment) => ({ segment })) },
      {
        weight: 1,
        arbitrary: fc.array(tie('condition'), { maxLength: 3 }).map((and) => ({ and })),
      },
      { weight: 1, arbitrary: fc.array(tie('condition'), { maxLength: 3 }).map((or) => ({ or })) },
      { weight: 1, arbitrary: tie('condition').map((not) => ({ not })) },
    ),
  }));
  return condition;
}
