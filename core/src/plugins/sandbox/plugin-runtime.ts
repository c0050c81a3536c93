import type { FieldColumns } from './field-columns.js';
import type {
  EventFields,
  FieldChanges,
  PluginEvent,
  PluginFetchInit,
  TrackingEvent,
} from '@uspa/sdk';

/** How a plugin call failed: it threw, ran past its time limit, or past its memory limit. */
export type PluginFaultKind = 'error' | 'timeout' | 'memory';

/** The hooks a plugin module defines, as the host sees them. */
export type PluginHook = 'setup' | 'enrich' | 'onEvent' | 'onBatch' | 'teardown';

/** A failed call into a plugin. The host records it as a fault; it never stops ingestion. */
export class PluginCallError extends Error {
  constructor(
    readonly kind: PluginFaultKind,
    readonly hook: PluginHook | 'projection' | 'load',
    message: string,
  ) {
    super(message);
    this.name = 'PluginCallError';
  }
}

/** What a plugin declares about itself (read from its definition, never from its code's effects). */
export interface PluginManifest {
  name: string;
  version: string;
  /** The USPA versions it runs on (semver range). */
  host: string;
  description?: string;
  author?: string;
  configSchema?: Record<string, unknown>;
  /** `fields`, when declared: the event fields `enrich` receives (see `eventFields`). */
  permissions: { network: string[]; events: string[]; fields?: string[] };
  hooks: PluginHook[];
  projections: { name: string; handles: string[] }[];
}

/** The response of a host-side fetch, body read in full. */
export interface BridgeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What the host lends a plugin: the plugin's context is built on it (inside an isolate or in
 * process). Every method is already limited to this plugin (its hosts, its key namespace).
 */
export interface PluginBridge {
  log(
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ): void;
  fetch(url: string, init?: PluginFetchInit): Promise<BridgeResponse>;
  storeGet(key: string): Promise<unknown>;
  storeSet(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  storeDelete(key: string): Promise<void>;
  storeIncrement(key: string, by: number): Promise<number>;
  metric(name: string, by: number): void;
}

/** What one event became in `enrich`. */
export type EnrichOutcome =
  | { kind: 'ok'; event: TrackingEvent }
  | { kind: 'drop'; reason: string }
  /** The hook threw for this event only: it goes on without this plugin's additions. */
  | { kind: 'error'; message: string };

/** What one narrowed event became in `enrich` (see `PluginRuntime.enrichChanges`). */
export type FieldOutcome =
  | { kind: 'ok'; changes: FieldChanges }
  | { kind: 'drop'; reason: string }
  | { kind: 'error'; message: string };

export interface RuntimeLimits {
  /** Wall-clock limit of one call (a batch of events is one call). */
  timeoutMs: number;
  /** Wall-clock limit of one `onEvent` / `onBatch` / projection call; `timeoutMs` when unset. */
  consumerTimeoutMs?: number;
  /** Heap limit of an isolated plugin, in MB. */
  memoryMb: number;
}

/**
 * A loaded plugin, ready to call: isolated (third-party, in a V8 isolate) or in process
 * (built-ins). Calls throw {@link PluginCallError} when the call as a whole failed.
 */
export interface PluginRuntime {
  readonly manifest: PluginManifest;
  readonly isolated: boolean;
  setup(): Promise<void>;
  enrich(events: readonly TrackingEvent[]): Promise<EnrichOutcome[]>;
  /**
   * `enrich` as a plugin that declares its fields gets it: each event narrowed to them; the
   * answer is what changed, for the host to apply (`fields.applyChanges`). `columns`, made over
   * the same events, lets plugins that read the same fields share their encoding.
   */
  enrichChanges(
    events: readonly TrackingEvent[],
    fields: EventFields,
    columns?: FieldColumns,
  ): Promise<FieldOutcome[]>;
  onEvent(event: PluginEvent): Promise<void>;
  onBatch(events: readonly PluginEvent[]): Promise<void>;
  project(projection: string, events: readonly PluginEvent[]): Promise<void>;
  teardown(): Promise<void>;
  /** Frees the isolate (or nothing, in process). Calls after it fail. */
  dispose(): void;
}

/** The time limit of a call at `site`: consumers may take longer than inline enrichment. */
export function timeoutFor(site: string, limits: RuntimeLimits): number {
  const consumer = site === 'onEvent' || site === 'onBatch' || site === 'projection';
  return consumer ? (limits.consumerTimeoutMs ?? limits.timeoutMs) : limits.timeoutMs;
}
