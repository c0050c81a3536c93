import { Ajv, type ValidateFunction } from 'ajv';
import { ValidationError } from '../../errors/index.js';
import { isSealed, type SecretSealer } from '../../secrets/sealed-secret.js';

/** Shown instead of a secret's value; sending it back keeps the stored secret. */
export const MASKED = '••••••••';

const ajv = new Ajv({ useDefaults: true, strict: false, allErrors: true });
const compiled = new WeakMap<object, ValidateFunction>();

type Schema = Record<string, unknown>;
type Config = Record<string, unknown>;

/**
 * Checks a configuration against the plugin's JSON Schema, filling the schema's defaults, and
 * returns the completed copy. Every problem is listed in the 400's `errors`.
 */
export function validatePluginConfig(
  name: string,
  schema: Schema | undefined,
  config: unknown,
): Config {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ValidationError(`The configuration of ${name} must be a JSON object`);
  }
  const copy = structuredClone(config) as Config;
  if (!schema) return copy;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(copy)) return copy;
  const errors = (validate.errors ?? []).map((error) => ({
    path: error.instancePath || '/',
    message: error.message ?? 'is invalid',
  }));
  throw new ValidationError(
    `Invalid configuration for ${name}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    { errors },
  );
}

/**
 * Paths of the secret fields of a schema: properties marked `writeOnly: true` or
 * `format: 'password'`, in nested objects too.
 */
export function secretPaths(schema: Schema | undefined, prefix: string[] = []): string[][] {
  const properties = schema?.properties as Record<string, Schema> | undefined;
  if (!properties) return [];
  return Object.entries(properties).flatMap(([key, property]) => {
    const path = [...prefix, key];
    if (property.writeOnly === true || property.format === 'password') return [path];
    return property.type === 'object' ? secretPaths(property, path) : [];
  });
}

/** The configuration as responses show it: every secret that is set replaced by {@link MASKED}. */
export function maskSecrets(schema: Schema | undefined, config: Config): Config {
  const masked = structuredClone(config);
  for (const path of secretPaths(schema)) {
    const parent = parentOf(masked, path);
    const key = path[path.length - 1]!;
    if (parent && parent[key] !== undefined && parent[key] !== '') parent[key] = MASKED;
  }
  return masked;
}

/**
 * A configuration sent back from a form that showed masked secrets: each secret still equal to
 * {@link MASKED} takes the value stored before, so an operator can change other fields without
 * retyping secrets.
 */
export function restoreSecrets(
  schema: Schema | undefined,
  input: unknown,
  stored: Config,
): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const restored = structuredClone(input) as Config;
  for (const path of secretPaths(schema)) {
    const parent = parentOf(restored, path);
    const key = path[path.length - 1]!;
    if (parent?.[key] !== MASKED) continue;
    const previous = parentOf(stored, path)?.[key];
    if (previous === undefined) delete parent[key];
    else parent[key] = previous;
  }
  return restored;
}

/**
 * The configuration as the log keeps it: each secret that is set is sealed, so the log, which
 * keeps every event for good (and goes into every backup), never holds one in clear.
 */
export function sealSecrets(
  schema: Schema | undefined,
  config: Config,
  sealer: SecretSealer,
): Config {
  const sealed = structuredClone(config);
  for (const path of secretPaths(schema)) {
    const parent = parentOf(sealed, path);
    const key = path[path.length - 1]!;
    const value = parent?.[key];
    if (parent && value !== undefined && value !== '' && !isSealed(value)) {
      parent[key] = sealer.seal(value);
    }
  }
  return sealed;
}

/**
 * The configuration as a plugin gets it: every sealed secret opened, wherever it stands (the
 * schema of the day may differ from the one it was sealed under). A secret that cannot be
 * opened, sealed under another key, is left out and named in `problem`.
 */
export function openSecrets(
  config: Config,
  sealer: SecretSealer,
): { config: Config; problem?: string } {
  const problems: string[] = [];
  const open = (node: unknown, path: string): unknown => {
    if (isSealed(node)) {
      try {
        return sealer.open(node);
      } catch (error) {
        problems.push(`${path}: ${(error as Error).message}`);
        return undefined;
      }
    }
    if (Array.isArray(node)) return node.map((item, i) => open(item, `${path}/${i}`));
    if (typeof node !== 'object' || node === null) return node;
    const opened: Config = {};
    for (const [key, value] of Object.entries(node)) {
      const result = open(value, `${path}/${key}`);
      if (result !== undefined) opened[key] = result;
    }
    return opened;
  };
  const opened = open(config, '') as Config;
  if (problems.length === 0) return { config: opened };
  return {
    config: opened,
    problem: `its configuration holds secrets this process cannot open (${problems.join('; ')}); start it with the secret key they were sealed with, or configure the plugin again`,
  };
}

function parentOf(config: Config, path: string[]): Config | undefined {
  let node: unknown = config;
  for (const key of path.slice(0, -1)) {
    node = (node as Config | undefined)?.[key];
    if (typeof node !== 'object' || node === null) return undefined;
  }
  return node as Config;
}
