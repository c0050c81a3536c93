import { Ajv, type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors/index.js';
import type { UspaConfig } from './config.js';
import {
  CONFIG_FILE_VARIABLE,
  ENVIRONMENT_SETTINGS,
  SECRET_SETTINGS,
  configSchema,
} from './config.schema.js';

type Tree = Record<string, unknown>;

const ajv = new Ajv({ useDefaults: true, coerceTypes: true, strict: true, verbose: true });
const validate = ajv.compile(configSchema);

/**
 * Reads the configuration from the environment (and the optional JSON file it names), applies
 * defaults, validates it and freezes it. This is the only place that reads `process.env`.
 * Throws a {@link ConfigError} whose one-line message names the bad setting and where it came from.
 *
 * @example
 * const config = loadConfig(process.env); // PORT=9000 USPA_DATA_DIR=/var/lib/uspa
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): UspaConfig {
  const origins = new Map<string, string>();
  const tree: Tree = {};
  const file = environment[CONFIG_FILE_VARIABLE];
  if (file) {
    const fromFile = readConfigFile(file);
    collectOrigins(fromFile, '', `file ${file}`, origins);
    Object.assign(tree, fromFile);
  }
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined || name === CONFIG_FILE_VARIABLE) continue;
    const path = ENVIRONMENT_SETTINGS[name];
    if (!path) {
      if (name.startsWith('USPA_')) {
        throw new ConfigError(`Invalid configuration: unknown setting ${name} (environment)`);
      }
      continue;
    }
    setPath(tree, path, value);
    const shown = SECRET_SETTINGS.has(path) ? '' : `=${JSON.stringify(value)}`;
    origins.set(path, `environment ${name}${shown}`);
  }
  if (!validate(tree)) throw new ConfigError(describe(validate.errors?.[0], origins));
  const config = tree as unknown as UspaConfig;
  if (config.eventStore.adapter === 'eventstoredb' && !config.eventStore.eventstoredb.url) {
    throw new ConfigError(
      'Invalid configuration: eventStore.eventstoredb.url is required when eventStore.adapter is eventstoredb (set EVENTSTORE_URL)',
    );
  }
  return deepFreeze(config);
}

function readConfigFile(file: string): Tree {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(file), 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: cannot read ${CONFIG_FILE_VARIABLE}=${file}: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Invalid configuration: ${file} must hold a JSON object`);
  }
  return parsed as Tree;
}

function describe(error: ErrorObject | undefined, origins: Map<string, string>): string {
  if (!error) return 'Invalid configuration';
  let path = error.instancePath.slice(1).replaceAll('/', '.');
  let problem = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    path = path ? `${path}.${extra}` : extra;
    problem = 'is not a known setting';
  } else if (error.keyword === 'enum') {
    problem = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  } else if (error.keyword === 'pattern') {
    const { description } = (error.parentSchema ?? {}) as { description?: string };
    if (description) problem = `must be ${description}`;
  } else if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    path = path ? `${path}.${missing}` : missing;
    problem = 'is required';
  }
  const origin = origins.get(path);
  return `Invalid configuration: ${path || '(root)'} ${problem}${origin ? ` (from ${origin})` : ''}`;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    const child: Tree = typeof next === 'object' && next !== null ? { ...(next as Tree) } : {};
    node[key] = child;
    node = child;
  }
  node[keys[keys.length - 1]!] = value;
}

function collectOrigins(value: unknown, path: string, origin: string, into: Map<string, string>) {
  into.set(path, origin);
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    collectOrigins(child, path ? `${path}.${key}` : key, origin, into);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
