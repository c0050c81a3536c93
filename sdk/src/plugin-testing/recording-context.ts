import type { PluginContext, PluginDefinition, PluginLog } from '../plugin/index.js';
import { harnessFetch, type FetchResponder, type RecordedFetch } from './harness-fetch.js';
import type { MemoryPluginStore } from './memory-store.js';

/**
 * One line a plugin logged.
 *
 * @example
 * { level: 'info', message: 'first identify from a company', fields: { company: 'acme.co.uk' } }
 */
export interface LoggedLine {
  level: keyof PluginLog;
  message: string;
  fields?: Record<string, unknown>;
}

/** What a plugin did through its context since the last report. */
export interface Recording {
  logs: LoggedLine[];
  fetches: RecordedFetch[];
  /** Counter name → how much it went up. */
  metrics: Record<string, number>;
}

export interface RecordingContext<Config> {
  context: PluginContext<Config>;
  /** Hands over what was recorded so far and starts a new recording. */
  takeRecording(): Recording;
}

/**
 * The context the harness gives a plugin: the host's `ctx` surface, with every log line, fetch
 * and metric recorded for the test to assert on.
 */
export function recordingContext<Config>(
  plugin: PluginDefinition<Config>,
  config: Readonly<Config>,
  store: MemoryPluginStore,
  responder: FetchResponder | undefined,
): RecordingContext<Config> {
  let recording: Recording = { logs: [], fetches: [], metrics: {} };
  const line = (level: keyof PluginLog) => (message: string, fields?: Record<string, unknown>) =>
    void recording.logs.push({
      level,
      message,
      ...(fields && { fields: structuredClone(fields) }),
    });
  const context: PluginContext<Config> = {
    config,
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    fetch: harnessFetch({
      pluginName: plugin.name,
      network: plugin.permissions?.network ?? [],
      config,
      ...(responder && { responder }),
      record: (request) => void recording.fetches.push(request),
    }),
    store,
    metrics: {
      increment(name, by = 1) {
        recording.metrics[name] = (recording.metrics[name] ?? 0) + by;
      },
    },
  };
  return {
    context,
    takeRecording() {
      const taken = recording;
      recording = { logs: [], fetches: [], metrics: {} };
      return taken;
    },
  };
}
