import { SEGMENT_DEFINED, type SegmentDefinition } from '@uspa/projections';
import { createContentRule } from '../content/content-rule-commands.js';
import { streamOf } from '../domain/streams.js';
import { WrongExpectedRevisionError } from '../errors/index.js';
import type { EventStore } from '../ports/event-store.port.js';

export const DEMO_SEGMENT_ID = 'demo-pricing-visitors';
export const DEMO_RULE_ID = 'demo-pricing-hero';

/**
 * What the demo site shows off: visitors who saw the pricing page form a segment, and its
 * members get another hero. Written once (the streams must not exist yet), so an operator's later
 * changes to them are never overwritten.
 */
export async function seedDemo(store: EventStore, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const segment: SegmentDefinition = {
    id: DEMO_SEGMENT_ID,
    name: 'Pricing page visitors (demo)',
    description: 'Visitors who viewed the demo pricing page in the last 30 days.',
    condition: {
      event: {
        type: 'PageViewed',
        where: [{ property: 'properties.path', op: 'startsWith', value: '/demo/pricing' }],
        within: { lastDays: 30 },
      },
    },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await once(() =>
    store.append(streamOf.segment(DEMO_SEGMENT_ID), [{ type: SEGMENT_DEFINED, data: segment }], {
      expectedRevision: 'no_stream',
    }),
  );
  await once(() =>
    createContentRule(
      store,
      {
        name: 'Pricing visitors get the trial offer (demo)',
        slot: 'hero',
        segmentId: DEMO_SEGMENT_ID,
        content: {
          title: 'Still deciding? Try Pro free for 30 days',
          body: 'You looked at our plans: here is a trial with everything in it, no card needed.',
          link: '/demo/signup.html',
          linkText: 'Start my free trial',
        },
        priority: 10,
      },
      now,
      DEMO_RULE_ID,
    ),
  );
}

async function once(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
  }
}
