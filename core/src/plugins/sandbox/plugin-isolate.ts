import ivm from 'isolated-vm';
import { messageOf, withinDeadline } from './call-deadline.js';
import { isolateBridge } from './isolate-bridge.js';
import { compileIsolatesSynchronously } from './isolate-compiler.js';
import { ISOLATE_PRELUDE } from './isolate-prelude.js';
import type { PluginOutline } from './plugin-manifest.js';
import {
  PluginCallError,
  type PluginBridge,
  type PluginHook,
  type RuntimeLimits,
  timeoutFor,
} from './plugin-runtime.js';

export interface PluginIsolateOptions {
  config: Record<string, unknown>;
  bridge: PluginBridge;
  limits: RuntimeLimits;
}

type CallSite = PluginHook | 'projection' | 'load';
type Entry = ivm.Reference<(...args: unknown[]) => unknown>;
const ENTRIES = ['load', 'enrich', 'enrichFields', 'relay', 'invoke', 'project'] as const;
/** What isolated-vm rejects with when its own (synchronous) `timeout` fires. */
const IVM_TIMEOUT = 'Script execution timed out.';

/**
 * One V8 isolate running one plugin bundle. Every call is limited in wall-clock time (sync and
 * async parts) and the isolate in heap size; a call that passes either limit kills the isolate,
 * which is then `broken` and must be replaced (see `IsolatedPluginRuntime`). A plugin's own
 * throws are answers, not faults: they come back as strings.
 *
 * @example
 * const { isolate, outline } = await PluginIsolate.open(bundle, { config, bridge, limits });
 * const outcomes = await isolate.call('enrich', 'enrich', [events]);
 */
export class PluginIsolate {
  private disposedByHost = false;
  private timedOut = false;

  private constructor(
    private readonly isolate: ivm.Isolate,
    private readonly entries: Record<(typeof ENTRIES)[number], Entry>,
    private readonly limits: RuntimeLimits,
  ) {}

  /**
   * Creates the isolate, runs the prelude and the bundle, and reads the plugin's definition.
   *
   * @throws {PluginCallError} hook `load`: the bundle threw, ran too long, used too much memory
   *   or set no definition.
   */
  static async open(
    code: string,
    { config, bridge, limits }: PluginIsolateOptions,
  ): Promise<{ isolate: PluginIsolate; outline: PluginOutline }> {
    compileIsolatesSynchronously();
    const isolate = new ivm.Isolate({
      memoryLimit: limits.memoryMb,
      onCatastrophicError: (message) => bridge.log('error', `plugin isolate crashed: ${message}`),
    });
    const host = isolateBridge(bridge);
    try {
      const context = await isolate.createContext();
      const exports = await context.evalClosure(
        ISOLATE_PRELUDE,
        [host.call, host.log, host.metric],
        {
          result: { reference: true },
        },
      );
      const entries = Object.fromEntries(
        await Promise.all(
          ENTRIES.map(async (name) => [name, await exports.get(name, { reference: true })]),
        ),
      ) as Record<(typeof ENTRIES)[number], Entry>;
      const opened = new PluginIsolate(isolate, entries, limits);
      const script = await isolate.compileScript(code, { filename: 'plugin:bundle.js' });
      await opened.timed('load', () => script.run(context, { timeout: limits.timeoutMs }));
      const answer = await opened.call('load', 'load', [JSON.stringify(config)]);
      const loaded = (typeof answer === 'string' ? JSON.parse(answer) : null) as {
        outline?: unknown;
        error?: unknown;
      } | null;
      if (typeof loaded?.error === 'string')
        throw new PluginCallError('error', 'load', loaded.error);
      const outline = loaded?.outline;
      return {
        isolate: opened,
        outline: typeof outline === 'object' && outline !== null ? outline : {},
      };
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error instanceof PluginCallError
        ? error
        : new PluginCallError('error', 'load', `loading the plugin failed: ${messageOf(error)}`);
    }
  }

  /** False once a call has run out of time or memory: the isolate is gone. */
  get healthy(): boolean {
    return !this.isolate.isDisposed;
  }

  /**
   * Calls an entry point of the prelude within the time limit. Arguments and answer cross as
   * copies (structured clone); the answer is untrusted data.
   */
  async call(
    site: CallSite,
    entry: (typeof ENTRIES)[number],
    args: readonly unknown[],
  ): Promise<unknown> {
    // The async apply runs the plugin on isolated-vm's thread pool, never on Node's main thread;
    // `timeout` stops its synchronous part (microtasks included), the deadline everything else.
    return this.timed(site, () =>
      this.entries[entry].apply(undefined, [...args], {
        timeout: timeoutFor(site, this.limits),
        arguments: { copy: true },
        result: { copy: true, promise: true },
      }),
    );
  }

  /**
   * Runs `enrich` over a relayed batch: the batch comes in as an external copy made by the host
   * or by the previous isolate, and goes out as one made here, on this isolate's thread.
   */
  async relay(batch: ivm.ExternalCopy<unknown>): Promise<ivm.ExternalCopy<unknown>> {
    return this.timed<ivm.ExternalCopy<unknown>>('enrich', () =>
      this.entries.relay.apply(undefined, [batch.copyInto()], {
        timeout: timeoutFor('enrich', this.limits),
        result: { externalCopy: true, promise: true },
      }),
    );
  }

  dispose(): void {
    this.disposedByHost = true;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private async timed<T>(site: CallSite, start: () => Promise<T>): Promise<T> {
    if (this.isolate.isDisposed) throw this.fault(site, new Error('isolate is disposed'));
    try {
      return await withinDeadline(start(), timeoutFor(site, this.limits), () => {
        this.timedOut = true;
        // Disposing terminates whatever still runs (a loop after an await) and abandons what
        // waits forever (a promise that never settles).
        this.isolate.dispose();
        return this.fault(site, new Error('deadline'));
      });
    } catch (error) {
      throw error instanceof PluginCallError ? error : this.fault(site, error);
    }
  }

  /**
   * Names what went wrong. A plugin's throws inside hooks come back as answers, so what reaches
   * here is running out of time or memory, a dispose, a throw at the bundle's top level, or an
   * answer that cannot be copied out.
   */
  private fault(site: CallSite, error: unknown): PluginCallError {
    const message = messageOf(error);
    if (this.timedOut || message === IVM_TIMEOUT) {
      if (!this.isolate.isDisposed) this.isolate.dispose();
      return new PluginCallError(
        'timeout',
        site,
        `${site} ran past its time limit of ${timeoutFor(site, this.limits)} ms`,
      );
    }
    if (this.disposedByHost) {
      return new PluginCallError('error', site, 'the plugin runtime was disposed');
    }
    if (this.isolate.isDisposed) {
      return new PluginCallError(
        'memory',
        site,
        `${site} ran past its memory limit of ${this.limits.memoryMb} MB`,
      );
    }
    return new PluginCallError('error', site, message);
  }
}
