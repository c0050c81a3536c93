import { api, segment as pathSegment } from '../../lib/api.js';
import type { JsonSchema } from './config-schema-fields.js';

/** The marketplace API (`core/src/plugins/plugin.routes.ts`, views in `plugin-views.ts`). */

export type PluginHook = 'setup' | 'enrich' | 'onEvent' | 'onBatch' | 'teardown';

export interface PluginPermissions {
  /** Hosts it may reach; `config:<field>` means the host of that setting's URL. */
  network: string[];
  /** Event types it receives. */
  events: string[];
  /** The event fields its `enrich` reads; absent: the whole event. */
  fields?: string[];
}

export interface CatalogPlugin {
  name: string;
  version: string;
  description?: string;
  author?: string;
  hooks: PluginHook[];
  permissions: PluginPermissions;
  configSchema?: JsonSchema;
  source: { kind: 'builtin' } | { kind: 'npm'; spec: string } | { kind: 'folder'; path: string };
  installed: { version: string; enabled: boolean } | null;
}

export interface PluginFault {
  version: string;
  hook: string;
  kind: 'error' | 'timeout' | 'memory';
  message: string;
  at: string;
}

export interface PluginMetricsSnapshot {
  calls: number;
  outcomes: Record<string, number>;
  faults: number;
  custom: Record<string, number>;
}

export interface InstalledPlugin {
  name: string;
  version: string;
  builtIn: boolean;
  description?: string;
  author?: string;
  origin: { kind: 'builtin' | 'folder' | 'tarball' | 'npm'; spec?: string; path?: string };
  integrity?: string;
  hooks: PluginHook[];
  projections: { name: string; handles: string[] }[];
  permissions: PluginPermissions;
  configSchema?: JsonSchema;
  /** Secrets shown as `••••••••`. */
  config: Record<string, unknown>;
  configured: boolean;
  /** Why the stored configuration cannot be used, e.g. secrets sealed under another key. */
  configProblem?: string;
  enabled: boolean;
  running: boolean;
  status: 'running' | 'starting' | 'disabled';
  disabled?: { reason: string; by: string; at: string };
  faultCount: number;
  faults: PluginFault[];
  metrics?: PluginMetricsSnapshot;
  installedAt: string;
  updatedAt: string;
  revision: number;
}

export interface PluginHistoryEntry {
  id: string;
  type: string;
  at: string;
  revision: number;
  by?: string;
  [field: string]: unknown;
}

export interface PluginLogLine {
  at: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export interface DeadLetter {
  id: string;
  at: string;
  consumer: string;
  event: { id: string; type: string; recordedAt?: string };
  error: { kind: string; message: string };
  attempts: number;
  replayed?: { outcome: 'delivered' | 'failed'; error?: string; at: string };
}

export interface ReplayOutcome {
  replayed: number;
  delivered: number;
  failed: number;
  errors: { id: string; eventId: string; error: string }[];
}

export type InstallRequest =
  | { source: 'catalog' | 'builtin'; name: string }
  | { source: 'npm'; spec: string }
  | { source: 'folder'; path: string };

const one = (name: string) => `/v1/admin/plugins/${pathSegment(name)}`;

export const pluginsApi = {
  catalog: async () =>
    (await api.get<{ plugins: CatalogPlugin[] }>('/v1/admin/plugins/catalog')).plugins,
  installed: async () =>
    (await api.get<{ plugins: InstalledPlugin[] }>('/v1/admin/plugins')).plugins,
  install: (request: InstallRequest) => api.post<InstalledPlugin>('/v1/admin/plugins', request),
  /** A packed plugin (`npm pack` output); api.ts sends a Blob as application/gzip. */
  upload: (file: Blob) => api.post<InstalledPlugin>('/v1/admin/plugins/upload', file),
  get: (name: string) => api.get<InstalledPlugin>(one(name)),
  configure: (name: string, config: Record<string, unknown>) =>
    api.put<InstalledPlugin>(`${one(name)}/config`, config),
  enable: (name: string) => api.post<InstalledPlugin>(`${one(name)}/enable`),
  disable: (name: string, reason: string) =>
    api.post<InstalledPlugin>(`${one(name)}/disable`, { reason }),
  uninstall: (name: string) => api.del(one(name)),
  history: async (name: string) =>
    (await api.get<{ history: PluginHistoryEntry[] }>(`${one(name)}/history`)).history,
  logs: async (name: string, limit = 200) =>
    (await api.get<{ lines: PluginLogLine[] }>(`${one(name)}/logs?limit=${limit}`)).lines,
  deadLetters: async (name: string, pending: boolean) =>
    (
      await api.get<{ deadLetters: DeadLetter[] }>(
        `${one(name)}/dead-letters${pending ? '?pending=true' : ''}`,
      )
    ).deadLetters,
  replay: (name: string) => api.post<ReplayOutcome>(`${one(name)}/dead-letters/replay`),
};

/** How a permission to reach the network reads for an operator. */
export function describeHost(host: string): string {
  return host.startsWith('config:')
    ? `the host of setting “${host.slice('config:'.length)}”`
    : host;
}
