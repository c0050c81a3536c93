import { eventFieldsFlaw } from '@uspa/sdk';
import { PluginCallError, type PluginHook, type PluginManifest } from './plugin-runtime.js';

/** The hooks a definition may define, in the order the manifest lists them. */
export const PLUGIN_HOOKS: readonly PluginHook[] = [
  'setup',
  'enrich',
  'onEvent',
  'onBatch',
  'teardown',
];

/**
 * What the host reads of a plugin definition without calling it: its data fields and which hooks
 * are functions. Plain JSON, so an isolate can hand it out; every field is unchecked until
 * {@link manifestFromOutline} has validated it, since it may come from untrusted code.
 */
export interface PluginOutline {
  name?: unknown;
  version?: unknown;
  host?: unknown;
  description?: unknown;
  author?: unknown;
  configSchema?: unknown;
  permissions?: unknown;
  /** Names of the hook properties that are functions. */
  hooks?: unknown;
  /** `{ name, handles, handle: <is it a function> }` per projection, or whatever was there. */
  projections?: unknown;
}

/**
 * The manifest of a definition object held in this process (a built-in plugin).
 *
 * @throws {PluginCallError} kind `error`, hook `load`, saying which field is wrong.
 * @example
 * manifestOf(geoPlugin).hooks; // → ['setup', 'enrich', 'teardown']
 */
export function manifestOf(definition: unknown): PluginManifest {
  return manifestFromOutline(outlineOf(definition));
}

/**
 * The outline of a definition object held in this process. The isolate's prelude builds the
 * same outline inside the isolate for third-party bundles.
 *
 * @example
 * const manifest = manifestFromOutline(outlineOf(geoPlugin));
 */
export function outlineOf(definition: unknown): PluginOutline {
  if (!isRecord(definition)) return {};
  const projections = definition.projections;
  return {
    name: definition.name,
    version: definition.version,
    host: definition.host,
    description: definition.description,
    author: definition.author,
    // A copy, as the isolate's outline is one: the manifest never aliases the plugin's objects.
    configSchema: jsonCopy(definition.configSchema, 'configSchema'),
    permissions: jsonCopy(definition.permissions, 'permissions'),
    hooks: PLUGIN_HOOKS.filter((hook) => typeof definition[hook] === 'function'),
    projections: Array.isArray(projections)
      ? projections.map((projection: unknown) =>
          isRecord(projection)
            ? {
                name: projection.name,
                handles: jsonCopy(projection.handles, 'projections.handles'),
                handle: typeof projection.handle === 'function',
              }
            : projection,
        )
      : projections,
  };
}

/**
 * Validates an outline into the manifest the host installs and enforces; permissions default
 * to none.
 *
 * @throws {PluginCallError} kind `error`, hook `load`, saying which field is wrong.
 * @example
 * manifestFromOutline({ name: 'geo', version: '1.0.0', host: '>=0.1.0', hooks: ['enrich'] });
 * // → { name: 'geo', ..., permissions: { network: [], events: [] }, hooks: ['enrich'], projections: [] }
 */
export function manifestFromOutline(outline: PluginOutline): PluginManifest {
  const manifest: PluginManifest = {
    name: requiredText(outline.name, 'name'),
    version: requiredText(outline.version, 'version'),
    host: requiredText(outline.host, 'host'),
    permissions: permissionsOf(outline.permissions),
    hooks: hooksOf(outline.hooks),
    projections: projectionsOf(outline.projections),
  };
  const description = optionalText(outline.description, 'description');
  const author = optionalText(outline.author, 'author');
  if (description !== undefined) manifest.description = description;
  if (author !== undefined) manifest.author = author;
  if (outline.configSchema !== undefined) {
    if (!isRecord(outline.configSchema)) invalid('configSchema must be an object');
    manifest.configSchema = outline.configSchema;
  }
  return manifest;
}

function permissionsOf(value: unknown): PluginManifest['permissions'] {
  if (value === undefined) return { network: [], events: [] };
  if (!isRecord(value)) invalid('permissions must be an object');
  const permissions: PluginManifest['permissions'] = {
    network: textList(value.network ?? [], 'permissions.network'),
    events: textList(value.events ?? [], 'permissions.events'),
  };
  if (value.fields !== undefined) {
    const fields = textList(value.fields, 'permissions.fields');
    const flaw = eventFieldsFlaw(fields);
    if (flaw !== undefined) invalid(flaw);
    permissions.fields = fields;
  }
  return permissions;
}

function hooksOf(value: unknown): PluginHook[] {
  const names = Array.isArray(value) ? (value as unknown[]) : [];
  return PLUGIN_HOOKS.filter((hook) => names.includes(hook));
}

function projectionsOf(value: unknown): PluginManifest['projections'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid('projections must be an array');
  const seen = new Set<string>();
  return (value as unknown[]).map((projection, index) => {
    const where = `projections[${index}]`;
    if (!isRecord(projection)) invalid(`${where} must be an object`);
    const name = requiredText(projection.name, `${where}.name`);
    if (seen.has(name)) invalid(`two projections are named ${JSON.stringify(name)}`);
    seen.add(name);
    if (projection.handle !== true) invalid(`${where}.handle must be a function`);
    return { name, handles: textList(projection.handles, `${where}.handles`) };
  });
}

function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    invalid(`${field} must be a non-empty string`);
  }
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') invalid(`${field} must be a string`);
  return value;
}

function textList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    invalid(`${field} must be an array of strings`);
  }
  return [...value];
}

function invalid(reason: string): never {
  throw new PluginCallError('error', 'load', `invalid plugin definition: ${reason}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonCopy(value: unknown, field: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch (error) {
    return invalid(`${field} is not JSON (${error instanceof Error ? error.message : 'unknown'})`);
  }
}
