const MAX_DEPTH = 64;

/** Where a value stops being JSON, as the host reports it. */
export interface JsonFlaw {
  /** `a function`, `a Date`, `a Map`, … */
  what: string;
  path: (string | number)[];
}

/**
 * The first part of `value` that is not plain JSON (the host refuses an enriched event with one,
 * since events are stored as JSON), or undefined. `undefined` itself passes: JSON leaves it out.
 *
 * @example
 * jsonFlaw({ enrichment: { seenAt: new Date() } }); // { what: 'a Date', path: ['enrichment', 'seenAt'] }
 */
export function jsonFlaw(value: unknown, depth = 0): JsonFlaw | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'object':
      if (value === null) return undefined;
      break;
    default:
      return { what: `a ${typeof value}`, path: [] };
  }
  if (depth > MAX_DEPTH) {
    return { what: `nesting deeper than ${MAX_DEPTH} levels (a cycle?)`, path: [] };
  }
  if (!Array.isArray(value) && !isPlain(value)) {
    const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } };
    return { what: `a ${prototype.constructor?.name ?? 'non-plain object'}`, path: [] };
  }
  for (const [key, item] of Object.entries(value)) {
    const flaw = jsonFlaw(item, depth + 1);
    if (flaw) return { ...flaw, path: [Array.isArray(value) ? Number(key) : key, ...flaw.path] };
  }
  return undefined;
}

const isPlain = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};
