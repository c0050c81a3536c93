/**
 * The JSON Schema (draft-07) of the condition language: the shape of every node. What a schema
 * cannot say (an operator's value, count bounds in order, regex safety, size limits) is checked
 * by `checkCondition` after it.
 */

export const PROPERTY_OPERATORS = [
  'equals',
  'notEquals',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
  'missing',
  'contains',
  'startsWith',
  'endsWith',
  'in',
  'notIn',
  'matchesRegex',
] as const;

export const CONDITION_KINDS = ['and', 'or', 'not', 'property', 'event', 'segment'] as const;

/** Longest string anywhere in a condition except `in` lists and regexes (which have their own). */
export const MAX_CONDITION_STRING = 256;
export const MAX_LIST_LENGTH = 1000;
export const MAX_WHERE = 20;
export const MAX_COUNT = 10_000;
export const MAX_LAST_DAYS = 3650;

/** An instant with its offset: `2025-05-01T00:00:00Z`; without one it would be local time. */
const INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

const text = { type: 'string', minLength: 1, maxLength: MAX_CONDITION_STRING };
const scalar = { type: ['string', 'number', 'boolean'] };
const junction = (key: 'and' | 'or') => ({
  type: 'object',
  required: [key],
  additionalProperties: false,
  properties: { [key]: { type: 'array', items: { $ref: '#/definitions/condition' } } },
});

/**
 * @example
 * new Ajv().compile(CONDITION_SCHEMA)({ segment: 'vip' }); // true
 */
export const CONDITION_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://uspa.dev/schemas/segment-condition.json',
  title: 'Segment condition',
  $ref: '#/definitions/condition',
  definitions: {
    condition: {
      type: 'object',
      anyOf: CONDITION_KINDS.map((kind) => ({ required: [kind] })),
      allOf: CONDITION_KINDS.map((kind) => ({
        if: { required: [kind] },
        then: { $ref: `#/definitions/${kind}` },
      })),
    },
    and: junction('and'),
    or: junction('or'),
    not: {
      type: 'object',
      required: ['not'],
      additionalProperties: false,
      properties: { not: { $ref: '#/definitions/condition' } },
    },
    property: {
      type: 'object',
      required: ['property', 'op'],
      additionalProperties: false,
      properties: {
        property: text,
        op: { enum: PROPERTY_OPERATORS },
        value: { type: ['string', 'number', 'boolean', 'array'], items: scalar },
      },
    },
    event: {
      type: 'object',
      required: ['event'],
      additionalProperties: false,
      properties: {
        event: {
          type: 'object',
          additionalProperties: false,
          properties: {
            type: text,
            name: text,
            where: {
              type: 'array',
              maxItems: MAX_WHERE,
              items: { $ref: '#/definitions/property' },
            },
            count: {
              type: 'object',
              additionalProperties: false,
              properties: {
                min: { type: 'integer', minimum: 0, maximum: MAX_COUNT },
                max: { type: 'integer', minimum: 0, maximum: MAX_COUNT },
              },
            },
            within: {
              type: 'object',
              additionalProperties: false,
              properties: {
                lastDays: { type: 'integer', minimum: 1, maximum: MAX_LAST_DAYS },
                from: { type: 'string', pattern: INSTANT },
                to: { type: 'string', pattern: INSTANT },
              },
              if: { required: ['lastDays'] },
              then: { not: { anyOf: [{ required: ['from'] }, { required: ['to'] }] } },
              else: { required: ['from', 'to'] },
            },
          },
        },
      },
    },
    segment: {
      type: 'object',
      required: ['segment'],
      additionalProperties: false,
      properties: { segment: text },
    },
  },
} as const;
