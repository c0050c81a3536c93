import type { Condition } from './condition.js';

/**
 * Segments referring to segments: the references of one condition, and the cycle a set of
 * definitions would make (refused when a segment is defined: membership could never settle).
 */

/**
 * The segment ids a condition refers to, each once, in order of appearance.
 * @example
 * referencedSegments({ or: [{ segment: 'vip' }, { not: { segment: 'churned' } }] });
 * // ['vip', 'churned']
 */
export function referencedSegments(condition: Condition): string[] {
  const found = new Set<string>();
  const visit = (node: Condition): void => {
    if ('and' in node) node.and.forEach(visit);
    else if ('or' in node) node.or.forEach(visit);
    else if ('not' in node) visit(node.not);
    else if ('segment' in node) found.add(node.segment);
  };
  visit(condition);
  return [...found];
}

/**
 * A cycle among segment definitions (id → condition), as the path that closes it
 * (`['a', 'b', 'a']`), or undefined. References to ids without a definition are ignored.
 * @example
 * findSegmentCycle(new Map([['a', { segment: 'b' }], ['b', { segment: 'a' }]]));
 * // ['a', 'b', 'a']
 */
export function findSegmentCycle(
  definitions: ReadonlyMap<string, Condition>,
): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  const visit = (id: string): string[] | undefined => {
    if (onPath.has(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return undefined;
    const condition = definitions.get(id);
    if (condition === undefined) return undefined;
    path.push(id);
    onPath.add(id);
    for (const reference of referencedSegments(condition)) {
      const cycle = visit(reference);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    onPath.delete(id);
    done.add(id);
    return undefined;
  };

  for (const id of [...definitions.keys()].sort()) {
    const cycle = visit(id);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
