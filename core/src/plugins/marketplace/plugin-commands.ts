import { streamOf } from '../../domain/streams.js';
import { NotFoundError, UspaError, ValidationError } from '../../errors/index.js';
import type { EventStore, EventToAppend } from '../../ports/event-store.port.js';
import { restoreSecrets, sealSecrets, validatePluginConfig } from '../domain/plugin-config.js';
import type { SecretSealer } from '../../secrets/sealed-secret.js';
import type { InstalledPlugin, PluginDirectory } from '../domain/plugin-directory.js';
import {
  PLUGIN_CONFIGURED,
  PLUGIN_DISABLED,
  PLUGIN_ENABLED,
  PLUGIN_INSTALLED,
  PLUGIN_UNINSTALLED,
  PLUGIN_VERSION_CHANGED,
  type PluginRelease,
} from '../domain/plugin-events.js';
import type { InstallRequest } from './install-request.js';
import { resolveRelease, type ReleaseSources } from './plugin-releases.js';

/**
 * The marketplace's commands: install, change version, configure, enable, disable, uninstall.
 * Each is checked against the plugin's current state and written as an event in `plugin-{name}`
 * with the stream revision it was decided on, so two operators cannot overwrite each other.
 */
export class PluginCommands {
  constructor(
    private readonly store: EventStore,
    private readonly directory: PluginDirectory,
    private readonly sources: ReleaseSources,
    private readonly sealer: SecretSealer,
  ) {}

  async install(request: InstallRequest, by: string): Promise<InstalledPlugin> {
    const release = await resolveRelease(request, this.sources);
    if (this.directory.get(release.name)) {
      throw new UspaError(
        'plugin_installed',
        409,
        `${release.name} is installed; POST /v1/admin/plugins/${encodeURIComponent(release.name)}/version changes its version`,
      );
    }
    await this.#write(release.name, [{ type: PLUGIN_INSTALLED, data: { ...release, by } }], true);
    return this.#installed(release.name);
  }

  /** Upgrade or downgrade; the configuration is checked against the new version's schema. */
  async changeVersion(name: string, request: InstallRequest, by: string): Promise<InstalledPlugin> {
    const plugin = this.#installed(name);
    const release = await resolveRelease(request, this.sources);
    if (release.name !== name) {
      throw new ValidationError(`That package is ${release.name}, not ${name}`);
    }
    if (
      release.version === plugin.release.version &&
      release.integrity === plugin.release.integrity
    ) {
      return plugin;
    }
    if (plugin.configured) {
      validatePluginConfig(name, release.manifest.configSchema, plugin.config);
    }
    const data = { ...release, by, from: plugin.release.version } satisfies PluginRelease & {
      by: string;
      from: string;
    };
    await this.#write(name, [{ type: PLUGIN_VERSION_CHANGED, data }]);
    return this.#installed(name);
  }

  async configure(name: string, input: unknown, by: string): Promise<InstalledPlugin> {
    const plugin = this.#installed(name);
    const schema = plugin.release.manifest.configSchema;
    const config = validatePluginConfig(name, schema, restoreSecrets(schema, input, plugin.config));
    const sealed = sealSecrets(schema, config, this.sealer);
    await this.#write(name, [{ type: PLUGIN_CONFIGURED, data: { name, config: sealed, by } }]);
    return this.#installed(name);
  }

  async enable(name: string, by: string): Promise<InstalledPlugin> {
    const plugin = this.#installed(name);
    if (plugin.enabled) return plugin;
    // A schema with required settings must be satisfied before the plugin may run.
    validatePluginConfig(name, plugin.release.manifest.configSchema, plugin.config);
    await this.#write(name, [{ type: PLUGIN_ENABLED, data: { name, by } }]);
    return this.#installed(name);
  }

  async disable(name: string, reason: string, by: string): Promise<InstalledPlugin> {
    const plugin = this.#installed(name);
    if (!plugin.enabled) return plugin;
    await this.#write(name, [{ type: PLUGIN_DISABLED, data: { name, reason, by } }]);
    return this.#installed(name);
  }

  async uninstall(name: string, by: string): Promise<void> {
    this.#installed(name);
    await this.#write(name, [{ type: PLUGIN_UNINSTALLED, data: { name, by } }]);
  }

  #installed(name: string): InstalledPlugin {
    const plugin = this.directory.get(name);
    if (!plugin) throw new NotFoundError(`No plugin ${name} is installed`);
    return plugin;
  }

  /** Appends at the revision the decision was made on, then applies the result at once. */
  async #write(name: string, events: EventToAppend[], fresh = false): Promise<void> {
    const plugin = this.directory.get(name);
    const stream = streamOf.plugin(name);
    const expectedRevision = plugin
      ? plugin.revision
      : fresh
        ? await this.#head(stream)
        : 'no_stream';
    const result = await this.store.append(stream, events, { expectedRevision });
    const first = result.nextExpectedRevision - events.length + 1;
    const recordedAt = new Date();
    events.forEach((event, index) =>
      this.directory.apply({ ...event, revision: first + index, recordedAt }),
    );
  }

  /** A reinstall continues the stream of an uninstalled plugin. */
  async #head(stream: string): Promise<number | 'no_stream'> {
    const { events } = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return events[0]?.revision ?? 'no_stream';
  }
}
