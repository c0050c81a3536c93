import type { Identifier } from './identifiers.js';
import type { IdentityPolicy } from './identity-policy.js';

/** What the resolver needs to know of a profile. */
export interface ProfileIdentity {
  id: string;
  identifiers: string[];
  createdAt: number;
  splitFrom: string[];
}

/** The identity graph as the resolver sees it; the profile projection implements it per batch. */
export interface IdentityGraph<P extends ProfileIdentity> {
  /** The profile holding an identifier, if any. */
  owner(key: string): P | undefined;
  create(createdAt: number): P;
  attach(profile: P, identifier: Identifier): void;
  /** Moves everything of `merged` into `survivor`; `via` are the identifiers that linked them. */
  merge(survivor: P, merged: P, via: string[]): void;
}

/**
 * Decides which profile an interaction belongs to, merging and attaching on the way (design §6).
 * `identifiers[0]` is the event's own identity (userId, else anonymousId): the event always ends
 * up in the profile holding it.
 *
 * Guards: profiles holding different values of a unique type (userIds) never merge; a profile
 * holds at most `maxAnonymousIds` anonymous ids; profiles an operator split apart are not
 * merged back.
 */
export function resolveProfile<P extends ProfileIdentity>(
  identifiers: readonly Identifier[],
  position: number,
  graph: IdentityGraph<P>,
  policy: IdentityPolicy,
): P | undefined {
  const [primary] = identifiers;
  if (!primary) return undefined;
  const owners = distinctOwners(identifiers, graph);
  let target = graph.owner(primary.key) ?? owners[0] ?? graph.create(position);
  const via = identifiers.filter((identifier) => graph.owner(identifier.key)).map((i) => i.key);
  const mergedAway = new Set<P>();
  for (const other of owners) {
    if (other === target || mergedAway.has(other) || !canMerge(target, other, policy)) continue;
    const [survivor, merged] = older(target, other) ? [target, other] : [other, target];
    graph.merge(survivor, merged, via);
    mergedAway.add(merged);
    target = survivor;
  }
  for (const identifier of identifiers) {
    if (graph.owner(identifier.key)) continue;
    if (canAttach(target, identifier, policy)) graph.attach(target, identifier);
    else if (identifier === primary) {
      // The event's own identity cannot join (a second userId): it starts a profile of its own.
      target = graph.create(position);
      graph.attach(target, identifier);
    }
  }
  return graph.owner(primary.key) ?? target;
}

function distinctOwners<P extends ProfileIdentity>(
  identifiers: readonly Identifier[],
  graph: IdentityGraph<P>,
): P[] {
  const owners: P[] = [];
  for (const identifier of identifiers) {
    const owner = graph.owner(identifier.key);
    if (owner && !owners.includes(owner)) owners.push(owner);
  }
  return owners.sort((a, b) => (older(a, b) ? -1 : 1));
}

/** The profile created first survives; ties (same event) by id. */
function older(a: ProfileIdentity, b: ProfileIdentity): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
}

export function canMerge(a: ProfileIdentity, b: ProfileIdentity, policy: IdentityPolicy): boolean {
  if (a.splitFrom.includes(b.id) || b.splitFrom.includes(a.id)) return false;
  for (const type of policy.uniqueTypes) {
    const values = new Set(
      [...a.identifiers, ...b.identifiers].filter((key) => key.startsWith(`${type}:`)),
    );
    if (values.size > 1) return false;
  }
  return anonymousCount(a) + anonymousCount(b) <= policy.maxAnonymousIds;
}

function canAttach(
  profile: ProfileIdentity,
  identifier: Identifier,
  policy: IdentityPolicy,
): boolean {
  if (policy.uniqueTypes.includes(identifier.type)) {
    const prefix = `${identifier.type}:`;
    if (profile.identifiers.some((key) => key.startsWith(prefix))) return false;
  }
  if (identifier.type === 'anonymous_id') {
    return anonymousCount(profile) < policy.maxAnonymousIds;
  }
  return true;
}

function anonymousCount(profile: ProfileIdentity): number {
  let count = 0;
  for (const key of profile.identifiers) if (key.startsWith('anonymous_id:')) count++;
  return count;
}
