import semver from 'semver';
import { invalidSpec } from './package-errors.js';
import { isPackageName } from './package-manifest.js';

/** A parsed `name@version` or `name@tag`. */
export interface NpmSpec {
  name: string;
  /** An exact version or a dist-tag. */
  selector: string;
  kind: 'version' | 'tag';
}

/**
 * Parses an install spec. Only an exact version or a dist-tag (default `latest`) is accepted: a
 * range would install whatever the registry serves that day, and operators approve one release.
 *
 * @example
 * parseNpmSpec('@acme/uspa-crm@1.2.0'); // { name: '@acme/uspa-crm', selector: '1.2.0', kind: 'version' }
 * parseNpmSpec('geo@beta');             // { name: 'geo', selector: 'beta', kind: 'tag' }
 */
export function parseNpmSpec(spec: string): NpmSpec {
  const trimmed = spec.trim();
  // The `@` of a scope is at 0; a version's `@` comes after the name.
  const at = trimmed.lastIndexOf('@');
  const name = at > 0 ? trimmed.slice(0, at) : trimmed;
  const selector = at > 0 ? trimmed.slice(at + 1) : 'latest';
  if (!isPackageName(name)) throw invalidSpec(`Not an npm package name: ${JSON.stringify(name)}`);
  if (semver.valid(selector) !== null) {
    return { name, selector: semver.clean(selector) ?? selector, kind: 'version' };
  }
  if (selector === '' || semver.validRange(selector) !== null) {
    throw invalidSpec(
      `"${spec}" asks for a version range; give an exact version (${name}@1.2.3) or a dist-tag (${name}@latest)`,
    );
  }
  // npm's own rule for tags: URL-safe, and never something that parses as a range.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(selector)) {
    throw invalidSpec(`Not a version or a dist-tag: ${JSON.stringify(selector)}`);
  }
  return { name, selector, kind: 'tag' };
}

/**
 * The name as it goes into a registry URL: `@scope%2fname`, as npm sends it. A checked name
 * holds only URL-safe characters besides the scope's slash.
 */
export function escapedName(name: string): string {
  return name.replace('/', '%2f');
}
