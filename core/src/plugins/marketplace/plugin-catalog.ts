import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import type { PluginDefinition } from '@uspa/sdk';
import { ConfigError } from '../../errors/index.js';
import type { PluginHook, PluginManifest } from '../sandbox/plugin-runtime.js';
import { manifestOf } from '../sandbox/plugin-manifest.js';

/** Where a catalog entry installs from. */
export type CatalogSource =
  { kind: 'builtin' } | { kind: 'npm'; spec: string } | { kind: 'folder'; path: string };

/** One plugin operators can install, as the marketplace lists it. */
export interface CatalogEntry {
  name: string;
  version: string;
  description?: string;
  author?: string;
  hooks: PluginHook[];
  permissions: PluginManifest['permissions'];
  configSchema?: Record<string, unknown>;
  source: CatalogSource;
}

const entrySchema = {
  type: 'object',
  required: ['name', 'version', 'source'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$' },
    version: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    author: { type: 'string' },
    hooks: {
      type: 'array',
      items: { enum: ['setup', 'enrich', 'onEvent', 'onBatch', 'teardown'] },
    },
    permissions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        network: { type: 'array', items: { type: 'string' } },
        events: { type: 'array', items: { type: 'string' } },
        fields: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    configSchema: { type: 'object' },
    source: {
      oneOf: [
        {
          type: 'object',
          required: ['npm'],
          additionalProperties: false,
          properties: { npm: { type: 'string', minLength: 3 } },
        },
        {
          type: 'object',
          required: ['folder'],
          additionalProperties: false,
          properties: { folder: { type: 'string', minLength: 1 } },
        },
      ],
    },
  },
} as const;
const validateFile = new Ajv({ strict: false, allErrors: false }).compile<CatalogFile>({
  type: 'object',
  required: ['plugins'],
  properties: { plugins: { type: 'array', items: entrySchema } },
});

interface CatalogFile {
  plugins: FileEntry[];
}

interface FileEntry {
  name: string;
  version: string;
  description?: string;
  author?: string;
  hooks?: PluginHook[];
  permissions?: { network?: string[]; events?: string[]; fields?: string[] };
  configSchema?: Record<string, unknown>;
  source: { npm: string } | { folder: string };
}

/**
 * The marketplace's catalog: the built-in plugins, then the entries of the configured catalog
 * file (`plugins.catalogFile`, `{ "plugins": [...] }`), which a company uses to list the plugins
 * it vetted. A broken catalog file stops the start with a message naming it.
 */
export function loadPluginCatalog(
  builtIns: readonly PluginDefinition<never>[],
  catalogFile?: string,
): CatalogEntry[] {
  const entries: CatalogEntry[] = builtIns.map((definition) => {
    const manifest: PluginManifest = manifestOf(definition);
    return {
      name: manifest.name,
      version: manifest.version,
      ...(manifest.description === undefined ? {} : { description: manifest.description }),
      author: manifest.author ?? 'USPA',
      hooks: manifest.hooks,
      permissions: manifest.permissions,
      ...(manifest.configSchema === undefined ? {} : { configSchema: manifest.configSchema }),
      source: { kind: 'builtin' },
    };
  });
  if (!catalogFile) return entries;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(catalogFile, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: cannot read plugins.catalogFile ${catalogFile}: ${(error as Error).message}`,
    );
  }
  if (!validateFile(parsed)) {
    const error = validateFile.errors?.[0];
    throw new ConfigError(
      `Invalid configuration: plugins.catalogFile ${catalogFile}${error?.instancePath ?? ''} ${error?.message ?? 'is invalid'}`,
    );
  }
  for (const entry of parsed.plugins) {
    entries.push({
      name: entry.name,
      version: entry.version,
      ...(entry.description === undefined ? {} : { description: entry.description }),
      ...(entry.author === undefined ? {} : { author: entry.author }),
      hooks: entry.hooks ?? [],
      permissions: {
        network: entry.permissions?.network ?? [],
        events: entry.permissions?.events ?? [],
        ...(entry.permissions?.fields === undefined ? {} : { fields: entry.permissions.fields }),
      },
      ...(entry.configSchema === undefined ? {} : { configSchema: entry.configSchema }),
      source:
        'npm' in entry.source
          ? { kind: 'npm', spec: entry.source.npm }
          : { kind: 'folder', path: entry.source.folder },
    });
  }
  return entries;
}
