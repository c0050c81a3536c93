import type { GroupModel, NodeModel } from './condition-model.js';

/**
 * Puts the server's condition errors next to the parts they are about. The server names each
 * place as a path into the JSON (`or[1].event.where[0].value: …`); the builder knows the path of
 * each of its nodes in the JSON it produced, so the longest matching path wins.
 */

export interface PlacedErrors {
  byNode: Map<string, string[]>;
  /** Errors about the whole condition, or about a place the builder does not show. */
  general: string[];
}

/** Each node's path in `toCondition(root)`, `''` for the root (as the server writes paths). */
export function nodePaths(root: NodeModel): Map<string, string> {
  const paths = new Map<string, string>();
  walk(root, '', paths);
  return paths;
}

function walk(node: NodeModel, path: string, paths: Map<string, string>): void {
  // A negated node's own keys sit under `not`: `and[0].not.value`.
  const inner = node.negated ? join(path, 'not') : path;
  paths.set(node.id, inner);
  if (node.kind === 'group') {
    node.children.forEach((child, i) => walk(child, `${join(inner, node.join)}[${i}]`, paths));
  }
  if (node.kind === 'event') {
    node.where.forEach((part, i) => paths.set(part.id, `${join(inner, 'event.where')}[${i}]`));
  }
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

const PLACE = /^((?:[A-Za-z_]\w*|\[\d+\])(?:\.[A-Za-z_]\w*|\[\d+\])*): ([\s\S]+)$/;

/**
 * @example
 * placeErrors(root, ['and[0].value: between needs low ≤ high', 'conditions may nest at most 10 levels deep']);
 * // byNode: { <id of and[0]>: ['value: between needs low ≤ high'] }, general: ['conditions may …']
 */
export function placeErrors(root: GroupModel, errors: readonly string[]): PlacedErrors {
  const paths = [...nodePaths(root)].filter(([id]) => id !== root.id);
  const rootPrefix = root.negated ? 'not' : root.join;
  const byNode = new Map<string, string[]>();
  const general: string[] = [];
  const add = (id: string, message: string) => byNode.set(id, [...(byNode.get(id) ?? []), message]);
  for (const error of errors) {
    const match = PLACE.exec(error);
    if (!match) {
      general.push(error);
      continue;
    }
    const place = match[1]!;
    const owner = longestOwner(paths, place);
    if (owner) add(owner.id, describeRest(place, owner.path, match[2]!));
    else if (
      place === rootPrefix ||
      place.startsWith(`${rootPrefix}.`) ||
      place.startsWith(`${rootPrefix}[`)
    ) {
      add(root.id, error);
    } else general.push(error);
  }
  return { byNode, general };
}

function longestOwner(paths: [string, string][], place: string) {
  let best: { id: string; path: string } | undefined;
  for (const [id, path] of paths) {
    const owns = place === path || place.startsWith(`${path}.`) || place.startsWith(`${path}[`);
    if (owns && (!best || path.length > best.path.length)) best = { id, path };
  }
  return best;
}

/** `value: …` for `and[0].value` under `and[0]`; just the message for the node itself. */
function describeRest(place: string, ownerPath: string, message: string): string {
  const rest = place
    .slice(ownerPath.length)
    .replace(/^\./, '')
    .replace(/^event\.?/, '');
  return rest === '' ? message : `${rest}: ${message}`;
}
