import type { RecordedEvent } from '@uspa/sdk';
import { recordActivity } from './profile-activity.js';
import { INTEREST_HALF_LIFE_DAYS, SESSION_GAP_MS, type Profile } from './profile.js';

interface InteractionData {
  event?: string;
  name?: string;
  timestamp?: string;
  groupId?: string;
  traits?: Record<string, unknown>;
  context?: { traits?: Record<string, unknown> };
  properties?: Record<string, unknown>;
  enrichment?: {
    geo?: Record<string, unknown>;
    device?: Record<string, unknown>;
    topics?: unknown;
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Folds one interaction into a profile, in place. Everything depends on the event alone (its
 * timestamp, not the clock), so a rebuild produces the same profile.
 */
export function applyInteraction(profile: Profile, event: RecordedEvent): void {
  const data = event.data as InteractionData;
  const at = data.timestamp ?? event.recordedAt.toISOString();
  profile.position = Math.max(profile.position, event.position);
  countEvent(profile, event.type, data.event);
  trackSession(profile, at);
  if (event.type === 'Identified') setTraits(profile, data.traits, at);
  setTraits(profile, data.context?.traits, at);
  if (event.type === 'GroupAssociated' && typeof data.groupId === 'string') {
    if (!profile.groups.includes(data.groupId)) profile.groups.push(data.groupId);
  }
  const isLatest = profile.lastSeen === undefined || at >= profile.lastSeen;
  if (isLatest && data.enrichment?.geo) profile.geo = data.enrichment.geo;
  if (isLatest && data.enrichment?.device) profile.device = data.enrichment.device;
  if (Array.isArray(data.enrichment?.topics)) addInterests(profile, data.enrichment.topics, at);
  if (event.type === 'Tracked') applyCommerce(profile, data.event, data.properties ?? {}, at);
  const name = event.type === 'Tracked' ? data.event : data.name;
  recordActivity(profile, event.type, name, at, data.properties);
  if (profile.firstSeen === undefined || at < profile.firstSeen) profile.firstSeen = at;
  if (isLatest) profile.lastSeen = at;
}

function countEvent(profile: Profile, type: string, name: string | undefined): void {
  const counters = profile.counters;
  counters.total += 1;
  counters.byType[type] = (counters.byType[type] ?? 0) + 1;
  if (type === 'Tracked' && name) counters.byEvent[name] = (counters.byEvent[name] ?? 0) + 1;
}

/** A new session starts after 30 minutes without activity (events come in log order). */
function trackSession(profile: Profile, at: string): void {
  const last = profile.lastSeen;
  if (last === undefined || Date.parse(at) - Date.parse(last) > SESSION_GAP_MS) {
    profile.sessions.count += 1;
    profile.sessions.lastStartedAt = at;
  }
}

export function setTraits(
  profile: Profile,
  traits: Record<string, unknown> | undefined,
  at: string,
): void {
  if (!traits || typeof traits !== 'object') return;
  for (const [key, value] of Object.entries(traits)) {
    if (key === 'externalIds' || value === undefined) continue;
    const previous = profile.traitTimestamps[key];
    if (previous !== undefined && previous > at) continue; // an older event arrived late
    profile.traits[key] = value;
    profile.traitTimestamps[key] = at;
  }
}

function addInterests(profile: Profile, topics: unknown[], at: string): void {
  for (const topic of topics) {
    if (typeof topic !== 'string') continue;
    const current = profile.interests[topic];
    profile.interests[topic] = current
      ? { score: decayed(current.score, current.at, at) + 1, at: later(current.at, at) }
      : { score: 1, at };
  }
}

/** The score as of `to` (never increases it when `to` is earlier: a late event adds, undecayed). */
export function decayed(score: number, from: string, to: string): number {
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  return days <= 0 ? score : score * 0.5 ** (days / INTEREST_HALF_LIFE_DAYS);
}

function later(a: string, b: string): string {
  return a >= b ? a : b;
}

function applyCommerce(
  profile: Profile,
  name: string | undefined,
  properties: Record<string, unknown>,
  at: string,
): void {
  const commerce = profile.ecommerce;
  if (name === 'Order Completed') {
    commerce.orders += 1;
    commerce.revenue = round(commerce.revenue + orderValue(properties));
    if (commerce.lastOrderAt === undefined || at > commerce.lastOrderAt) commerce.lastOrderAt = at;
  } else if (name === 'Order Refunded') {
    commerce.refunds += 1;
    commerce.refundedAmount = round(commerce.refundedAmount + Math.abs(orderValue(properties)));
  } else {
    return;
  }
  commerce.averageOrderValue = commerce.orders > 0 ? round(commerce.revenue / commerce.orders) : 0;
}

/** Segment's e-commerce spec: `revenue`, else `total`, else the products' price × quantity. */
function orderValue(properties: Record<string, unknown>): number {
  for (const key of ['revenue', 'total']) {
    const value = properties[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  const products = properties.products;
  if (!Array.isArray(products)) return 0;
  let sum = 0;
  for (const product of products as { price?: unknown; quantity?: unknown }[]) {
    const price = typeof product.price === 'number' ? product.price : 0;
    const quantity = typeof product.quantity === 'number' ? product.quantity : 1;
    sum += price * quantity;
  }
  return sum;
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
