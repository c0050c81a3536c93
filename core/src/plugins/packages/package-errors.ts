import { UspaError } from '../../errors/index.js';

/**
 * The refusals of a plugin install, each with its own code so the console can say what to fix.
 * Client mistakes are 4xx; a registry that cannot be reached is 502/504.
 */

/** The package itself is malformed: no `package.json`, a bad name or version, a bad tarball. */
export function invalidPackage(message: string, details?: Record<string, unknown>): UspaError {
  return new UspaError('plugin_package_invalid', 400, message, details);
}

export function packageTooLarge(message: string, limit: number): UspaError {
  return new UspaError('plugin_package_too_large', 413, message, { limit });
}

export function usesNodeBuiltin(modules: readonly string[]): UspaError {
  const list = modules.map((name) => `"${name}"`).join(', ');
  return new UspaError(
    'plugin_uses_node_builtin',
    400,
    `The plugin imports the Node built-in module ${list}: plugins run isolated, without Node ` +
      'APIs. Use ctx.fetch for HTTP and ctx.store for state.',
    { modules: [...modules] },
  );
}

/** An npm spec that is not `name@version` or `name@tag`. */
export function invalidSpec(message: string): UspaError {
  return new UspaError('plugin_spec_invalid', 400, message);
}

export function packageNotFound(message: string): UspaError {
  return new UspaError('plugin_package_not_found', 404, message);
}

export function integrityMismatch(message: string, details?: Record<string, unknown>): UspaError {
  return new UspaError('plugin_integrity_mismatch', 422, message, details);
}

export function registryUnreachable(message: string, status = 502, cause?: unknown): UspaError {
  return new UspaError('plugin_registry_unreachable', status, message, undefined, { cause });
}
