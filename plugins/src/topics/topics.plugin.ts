import { LRUCache } from 'lru-cache';
import { definePlugin, withEnrichment, type TrackingEvent } from '@uspa/sdk';
import { retailTaxonomy } from './retail-taxonomy.js';
import { compileTaxonomy, type TopicMatcher } from './topic-matcher.js';

/** Configuration of the `topics` plugin, after the host has applied the schema's defaults. */
export interface TopicsConfig {
  /** Topic → keywords that signal it. Defaults to a gift and homeware retail taxonomy. */
  taxonomy: Record<string, string[]>;
  /** At most this many topics per event: the ones with the most keyword hits. */
  maxTopics: number;
}

// Compiled once per configuration; keyed by the config object the host passes to every call.
const matchers = new WeakMap<object, TopicMatcher>();

function matcherFor(config: Readonly<TopicsConfig>): TopicMatcher {
  let matcher = matchers.get(config);
  if (!matcher) {
    matcher = compileTaxonomy(config.taxonomy);
    matchers.set(config, matcher);
  }
  return matcher;
}

/**
 * Page URL path, title, page name and category, keywords, and for `track` calls the product
 * names and categories → `enrichment.topics`: the taxonomy's topics found there as whole words,
 * at most `maxTopics` (those with most hits), sorted by name. No topics found, no key written.
 *
 * @example
 * // config: { "topics": { "taxonomy": { "garden": ["garden", "watering can"] } } }
 * // in:  context.page = { url: 'https://shop.example/garden/watering-cans', title: 'Watering Cans' }
 * // out: enrichment.topics = ['garden']
 */
export const topicsPlugin = definePlugin<TopicsConfig>({
  name: 'topics',
  version: '1.0.0',
  host: '>=0.1.0 <1',
  description: 'Page and product text → topics from a configurable keyword taxonomy.',
  configSchema: {
    type: 'object',
    properties: {
      taxonomy: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
        },
        default: retailTaxonomy,
        description: 'Topic → keywords; whole words, case-insensitive, simple plurals included.',
      },
      maxTopics: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    },
    additionalProperties: false,
  },

  setup({ config }) {
    matcherFor(config);
  },

  enrich(event, { config }) {
    const matcher = matcherFor(config);
    const hits = new Map<string, number>();
    for (const text of topicTexts(event)) matcher.count(text, hits);
    if (hits.size === 0) return event;
    const topics = [...hits]
      .sort(([a, aHits], [b, bHits]) => bHits - aHits || compare(a, b))
      .slice(0, config.maxTopics)
      .map(([topic]) => topic)
      .sort(compare);
    return withEnrichment(event, 'topics', topics);
  },
});

// Code-unit order, not localeCompare: the same on every machine and ICU version, so replays agree.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The event's descriptive texts, each once (a page call repeats its URL in context and properties). */
function topicTexts(event: TrackingEvent): Set<string> {
  const texts = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.trim()) texts.add(value);
    else if (Array.isArray(value)) value.forEach(add);
  };
  const addPath = (url: unknown): void => {
    if (typeof url === 'string') add(urlPath(url));
  };
  const page = record(event.context.page);
  addPath(page?.url);
  addPath(page?.path);
  add(page?.title);
  add(page?.keywords);
  add(event.name);
  add(event.category);
  const { properties } = event;
  addPath(properties.url);
  addPath(properties.path);
  add(properties.title);
  add(properties.keywords);
  add(properties.name);
  add(properties.category);
  if (Array.isArray(properties.products)) {
    for (const product of properties.products) {
      add(record(product)?.name);
      add(record(product)?.category);
    }
  }
  return texts;
}

const paths = new LRUCache<string, string>({ max: 10_000 });

/** The decoded path of a URL or path; query and fragment carry tracking noise, not topics. */
function urlPath(url: string): string {
  let path = paths.get(url);
  if (path === undefined) paths.set(url, (path = parsePath(url)));
  return path;
}

function parsePath(url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return '';
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
