import { getContext, setContext } from 'svelte';
import type { Problems } from './condition-problems.js';

/** A segment a membership condition may refer to. */
export interface SegmentOption {
  id: string;
  name: string;
}

/**
 * What every node of one condition builder needs to read, handed down by context instead of
 * through each level of the tree. Getters, so a node always sees the builder's current values.
 */
export interface BuilderContext {
  readonly segments: readonly SegmentOption[];
  /** Local problems (unfinished inputs), by node id. */
  readonly problems: Problems;
  /** Server errors placed on nodes, by node id. */
  readonly serverErrors: Map<string, string[]>;
}

const KEY = Symbol('condition-builder');

export function setBuilderContext(context: BuilderContext): void {
  setContext(KEY, context);
}

export function getBuilderContext(): BuilderContext {
  const context = getContext<BuilderContext | undefined>(KEY);
  if (!context) throw new Error('A condition node must be inside a ConditionBuilder');
  return context;
}

/** Everything to say about one node: its unfinished inputs, then what the server said. */
export function messagesOf(context: BuilderContext, id: string): string[] {
  return [...(context.problems.get(id) ?? []), ...(context.serverErrors.get(id) ?? [])];
}
