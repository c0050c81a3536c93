/**
 * The Segment spec's per-call requirements, checked on the normalised event (ids are strings and
 * timestamps are valid by then). Unknown top-level fields are allowed, as Segment allows them.
 */
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const object = { type: 'object' } as const;

export const trackingEventSchema = {
  type: 'object',
  required: ['type', 'messageId', 'timestamp', 'context', 'properties', 'traits'],
  properties: {
    type: { enum: ['track', 'identify', 'page', 'screen', 'group', 'alias'] },
    messageId: text(256),
    userId: text(256),
    anonymousId: text(256),
    event: text(200),
    name: { type: 'string', maxLength: 500 },
    category: { type: 'string', maxLength: 500 },
    groupId: text(256),
    previousId: text(256),
    context: object,
    properties: object,
    traits: object,
    integrations: object,
  },
  allOf: [
    { if: { properties: { type: { const: 'track' } } }, then: { required: ['event'] } },
    { if: { properties: { type: { const: 'group' } } }, then: { required: ['groupId'] } },
    {
      if: { properties: { type: { const: 'alias' } } },
      then: { required: ['previousId', 'userId'] },
    },
  ],
} as const;
