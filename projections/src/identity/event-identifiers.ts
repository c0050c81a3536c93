import type { RecordedEvent } from '@uspa/sdk';
import { makeIdentifier, type Identifier, type IdentifierType } from './identifiers.js';

/** The interaction events identity resolution reads (design §4). */
export const INTERACTION_EVENT_TYPES = [
  'Tracked',
  'PageViewed',
  'ScreenViewed',
  'Identified',
  'GroupAssociated',
  'Aliased',
] as const;

interface InteractionData {
  anonymousId?: string;
  userId?: string;
  previousId?: string;
  traits?: Record<string, unknown>;
  context?: { traits?: Record<string, unknown> };
}

/**
 * What an interaction says about who did it: its ids, plus e-mail, phone and `externalIds`
 * found in its traits (`identify`) or context traits (any call). The first identifier is the
 * one the event belongs to most strongly (userId, else anonymousId).
 *
 * `externalIds` may be an array of `{ type, id }` (Segment's form) or an object `{ type: id }`.
 */
export function identifiersOf(
  event: RecordedEvent,
  junk: ReadonlySet<string>,
): { identifiers: Identifier[]; previousId?: string } {
  const data = event.data as InteractionData;
  const found: Identifier[] = [];
  const seen = new Set<string>();
  const add = (type: IdentifierType, raw: unknown): void => {
    const identifier = makeIdentifier(type, raw, junk);
    if (identifier && !seen.has(identifier.key)) {
      seen.add(identifier.key);
      found.push(identifier);
    }
  };
  add('user_id', data.userId);
  add('anonymous_id', data.anonymousId);
  for (const traits of [data.traits, data.context?.traits]) {
    if (!traits || typeof traits !== 'object') continue;
    add('email', traits.email);
    add('phone', traits.phone);
    for (const [system, id] of externalIds(traits.externalIds)) add('external', `${system}:${id}`);
  }
  const previousId =
    event.type === 'Aliased' && typeof data.previousId === 'string' ? data.previousId : undefined;
  return previousId === undefined ? { identifiers: found } : { identifiers: found, previousId };
}

function externalIds(value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    return value.flatMap((entry: unknown) => {
      if (!entry || typeof entry !== 'object') return [];
      const { type, id } = entry as { type?: unknown; id?: unknown };
      return typeof type === 'string' && (typeof id === 'string' || typeof id === 'number')
        ? [[type.trim().toLowerCase(), String(id)] as [string, string]]
        : [];
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([type, id]) =>
      typeof id === 'string' || typeof id === 'number'
        ? [[type.trim().toLowerCase(), String(id)] as [string, string]]
        : [],
    );
  }
  return [];
}
