/** JSON Schema of an import mapping (see `mapping.types.ts` and the README). */

const name = { type: 'string', minLength: 1 } as const;

const condition = {
  type: 'object',
  minProperties: 1,
  additionalProperties: {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: { matches: name, empty: { type: 'boolean' } },
  },
} as const;

const valueSpec = {
  type: 'object',
  additionalProperties: false,
  properties: {
    when: condition,
    column: name,
    type: { enum: ['string', 'number', 'integer', 'boolean', 'date'] },
    format: name,
    timeZone: name,
    abs: { type: 'boolean' },
    asString: { type: 'boolean' },
    const: { type: ['string', 'number', 'boolean'] },
    template: name,
    sum: { type: 'array', minItems: 1, items: name },
    round: { type: 'integer', minimum: 0, maximum: 10 },
  },
  oneOf: [
    { required: ['column'] },
    { required: ['const'] },
    { required: ['template'] },
    { required: ['sum'] },
  ],
} as const;

const fieldMap = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: '^[^.]+(\\.[^.]+)*$' },
  additionalProperties: {
    anyOf: [valueSpec, { type: 'array', minItems: 1, items: valueSpec }],
  },
} as const;

export const mappingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['message'],
  properties: {
    $comment: { type: 'string' },
    csv: {
      type: 'object',
      additionalProperties: false,
      properties: { delimiter: { type: 'string', minLength: 1, maxLength: 1 } },
    },
    skip: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason', 'when'],
        properties: { reason: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' }, when: condition },
      },
    },
    message: fieldMap,
    group: {
      type: 'object',
      additionalProperties: false,
      required: ['by', 'itemsAt', 'item'],
      properties: {
        by: name,
        itemsAt: { type: 'string', pattern: '^[^.]+(\\.[^.]+)*$' },
        item: fieldMap,
        maxOpenGroups: { type: 'integer', minimum: 1, maximum: 10_000 },
      },
    },
  },
} as const;
