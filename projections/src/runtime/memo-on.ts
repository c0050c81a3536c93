/**
 * What `derive` gives for `target`, derived once and kept on `target` under `key`: a symbol
 * property that is not enumerable, so it is never copied (spread, structured clone) or
 * serialised. Only for targets never changed once made, such as a profile's activity entries;
 * a target that cannot be extended is derived each time. `derive` takes the target, so a hot
 * caller passes one function rather than a new closure per call.
 *
 * @example
 * const TEXT = Symbol('entry JSON');
 * memoOn(entry, TEXT, JSON.stringify);
 */
export function memoOn<O extends object, T>(target: O, key: symbol, derive: (target: O) => T): T {
  const kept = (target as Record<symbol, T | undefined>)[key];
  if (kept !== undefined || key in target) return kept as T;
  const value = derive(target);
  if (Object.isExtensible(target)) Object.defineProperty(target, key, { value });
  return value;
}
