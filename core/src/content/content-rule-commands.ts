import { randomUUID } from 'node:crypto';
import {
  CONTENT_RULE_DEFINED,
  CONTENT_RULE_DELETED,
  revisionOfVersion,
  versionAtRevision,
  type ContentRule,
  type ContentRuleDeleted,
  type ContentRuleInput,
} from '../domain/content-rules.js';
import { streamOf } from '../domain/streams.js';
import { NotFoundError, UspaError, WrongExpectedRevisionError } from '../errors/index.js';
import type { EventStore, ExpectedRevision } from '../ports/event-store.port.js';

/** Optimistic concurrency: the version the caller last saw (`If-Match`), if it gave one. */
export interface ExpectedVersion {
  ifMatch?: number;
}

/**
 * Creates a rule under a new id as a `ContentRuleDefined` event at version 1. The stream must not
 * exist yet, so an id can never be taken twice.
 *
 * @example
 * const rule = await createContentRule(store, { name: 'Sale', slot: 'hero', content: { title: '−20 %' }, priority: 0 });
 * rule.version; // 1
 */
export async function createContentRule(
  store: EventStore,
  input: ContentRuleInput,
  now = new Date(),
  id: string = randomUUID(),
): Promise<ContentRule> {
  const at = now.toISOString();
  const rule: ContentRule = { id, ...input, createdAt: at, updatedAt: at, version: 1 };
  await store.append(streamOf.contentRule(id), [{ type: CONTENT_RULE_DEFINED, data: rule }], {
    expectedRevision: 'no_stream',
  });
  return rule;
}

/**
 * Replaces a rule as a whole, keeping its id and creation time. With `ifMatch`, the append expects
 * the stream revision of that version, so a concurrent change made anywhere (another process
 * included) makes this one fail with 412 instead of being overwritten.
 */
export async function replaceContentRule(
  store: EventStore,
  id: string,
  input: ContentRuleInput,
  expected: ExpectedVersion = {},
  now = new Date(),
): Promise<ContentRule> {
  const current = await currentRule(store, id);
  const rule: ContentRule = {
    id,
    ...input,
    createdAt: current.rule.createdAt,
    updatedAt: now.toISOString(),
    version: versionAtRevision(current.revision + 1),
  };
  await appendExpecting(store, id, current, expected, { type: CONTENT_RULE_DEFINED, data: rule });
  return rule;
}

/** Deletes a rule with a `ContentRuleDeleted` event; the same concurrency check as a replace. */
export async function deleteContentRule(
  store: EventStore,
  id: string,
  expected: ExpectedVersion = {},
  now = new Date(),
): Promise<ContentRuleDeleted> {
  const current = await currentRule(store, id);
  const deleted: ContentRuleDeleted = { id, deletedAt: now.toISOString() };
  await appendExpecting(store, id, current, expected, {
    type: CONTENT_RULE_DELETED,
    data: deleted,
  });
  return deleted;
}

interface CurrentRule {
  rule: ContentRule;
  revision: number;
}

/** The store, not the in-memory directory, decides: it may lag writes made by another process. */
async function currentRule(store: EventStore, id: string): Promise<CurrentRule> {
  const { status, events } = await store.readStream(streamOf.contentRule(id), {
    direction: 'backwards',
    maxCount: 1,
  });
  const last = events[0];
  if (status !== 'ok' || !last || last.type !== CONTENT_RULE_DEFINED) {
    throw new NotFoundError(`No content rule ${id}`);
  }
  return { rule: last.data as ContentRule, revision: last.revision };
}

async function appendExpecting(
  store: EventStore,
  id: string,
  current: CurrentRule,
  expected: ExpectedVersion,
  event: { type: string; data: unknown },
): Promise<void> {
  const currentVersion = versionAtRevision(current.revision);
  if (expected.ifMatch !== undefined && expected.ifMatch !== currentVersion) {
    throw versionMismatch(id, expected.ifMatch, currentVersion);
  }
  const expectedRevision: ExpectedRevision =
    expected.ifMatch === undefined ? current.revision : revisionOfVersion(expected.ifMatch);
  try {
    await store.append(streamOf.contentRule(id), [event], { expectedRevision });
  } catch (error) {
    // Changed between our read and our append: with If-Match that is the stale version the
    // caller asked to be told about; without it, the store's own 409 conflict stands.
    if (error instanceof WrongExpectedRevisionError && expected.ifMatch !== undefined) {
      throw versionMismatch(id, expected.ifMatch, undefined);
    }
    throw error;
  }
}

function versionMismatch(id: string, given: number, current: number | undefined): UspaError {
  return new UspaError(
    'precondition_failed',
    412,
    `Content rule ${id} is no longer at version ${given}: reload it and apply your change again`,
    { ruleId: id, ifMatch: given, ...(current !== undefined && { currentVersion: current }) },
  );
}
