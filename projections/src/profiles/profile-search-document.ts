import type { CollectionMapping, Document } from '../ports/document-store.port.js';
import { segmentView, type SegmentView } from '../segments/condition/segment-view.js';
import type { Profile } from './profile.js';

/** What profile search filters, sorts and aggregates on (`GET /v1/profiles`, the console). */
export const PROFILE_MAPPING: CollectionMapping = {
  fields: {
    identifiers: 'keyword',
    search: 'text',
    'traits.email': 'keyword',
    'traits.name': 'keyword',
    'traits.plan': 'keyword',
    'traits.country': 'keyword',
    firstSeen: 'date',
    lastSeen: 'date',
    'counters.total': 'number',
    'sessions.count': 'number',
    'ecommerce.orders': 'number',
    'ecommerce.revenue': 'number',
    'ecommerce.averageOrderValue': 'number',
    'ecommerce.lastOrderAt': 'date',
    'geo.country': 'keyword',
    'geo.city': 'keyword',
    'device.type': 'keyword',
    'device.browser': 'keyword',
    interestTopics: 'keyword',
    groups: 'keyword',
    segments: 'keyword',
    // The segment view: what segment conditions read (`segments/condition/README.md`).
    facts: 'facts',
    activity: 'activity',
    // When a segment time window next moves for the profile (epoch ms).
    reevaluateAt: 'number',
  },
};

const SEARCHED_TRAITS = ['name', 'firstName', 'lastName', 'email', 'phone', 'company', 'username'];

/**
 * The profile as the search index holds it: the document itself (minus bookkeeping) plus a
 * `search` text of names and ids, the topic names for filtering, and its segment view: `facts`,
 * and `activity` in the view's form (type `t`, name `e`, epoch ms `at`, property `facts`).
 */
export function searchDocument(
  profile: Profile,
  view: SegmentView = segmentView(profile),
): Document {
  const { traitTimestamps: _timestamps, ...rest } = profile;
  const words: string[] = [];
  for (const trait of SEARCHED_TRAITS) {
    const value = profile.traits[trait];
    if (typeof value === 'string' || typeof value === 'number') words.push(String(value));
  }
  for (const key of profile.identifiers) words.push(key.slice(key.indexOf(':') + 1));
  return {
    ...rest,
    search: words.join(' '),
    interestTopics: Object.keys(profile.interests),
    facts: view.facts,
    activity: view.activity,
  };
}
