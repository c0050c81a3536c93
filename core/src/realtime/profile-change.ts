import type { ProfileChange } from './personalization.port.js';

/**
 * True when a value has the shape of a {@link ProfileChange}: what arrives from another process
 * is checked before it touches a visitor.
 *
 * @example
 * if (isProfileChange(payload)) visitors.applyProfileChange(payload);
 */
export function isProfileChange(value: unknown): value is ProfileChange {
  if (typeof value !== 'object' || value === null) return false;
  const change = value as Record<string, unknown>;
  return (
    typeof change.profileId === 'string' &&
    isStringList(change.identifiers) &&
    isStringList(change.segments) &&
    isStringList(change.mergedFrom)
  );
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
