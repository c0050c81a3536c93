import { ApiError } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import { configErrorsOf, type ConfigError } from './config-errors.js';
import { pluginsApi, type InstalledPlugin } from './plugins-api.js';

/**
 * One installed plugin and the commands on it. Each command answers with the plugin as it now
 * is, which replaces the one shown; a refused configuration keeps its errors for the form.
 */
export class PluginDetailState {
  plugin = $state.raw<InstalledPlugin>();
  loaded = $state(false);
  loadError = $state<string>();
  /** The command in progress. */
  busy = $state<'config' | 'enable' | 'disable' | 'uninstall'>();
  error = $state<string>();
  notice = $state<string>();
  configErrors = $state.raw<ConfigError[]>([]);

  constructor(readonly name: string) {}

  async load(): Promise<void> {
    try {
      this.plugin = await pluginsApi.get(this.name);
    } catch (error) {
      this.loadError =
        error instanceof ApiError && error.status === 404
          ? `No plugin ${this.name} is installed.`
          : messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  saveConfig(config: Record<string, unknown>): Promise<void> {
    return this.#run(
      'config',
      () => pluginsApi.configure(this.name, config),
      'Configuration saved.',
    );
  }

  enable(): Promise<void> {
    return this.#run('enable', () => pluginsApi.enable(this.name), 'Enabled.');
  }

  disable(reason: string): Promise<void> {
    return this.#run('disable', () => pluginsApi.disable(this.name, reason), 'Disabled.');
  }

  async uninstall(): Promise<boolean> {
    this.busy = 'uninstall';
    this.error = undefined;
    try {
      await pluginsApi.uninstall(this.name);
      return true;
    } catch (error) {
      this.error = messageOf(error);
      return false;
    } finally {
      this.busy = undefined;
    }
  }

  async #run(
    command: 'config' | 'enable' | 'disable',
    call: () => Promise<InstalledPlugin>,
    done: string,
  ) {
    this.busy = command;
    this.error = undefined;
    this.notice = undefined;
    try {
      this.plugin = await call();
      this.configErrors = [];
      this.notice = done;
    } catch (error) {
      // Enabling checks the stored configuration too: its errors belong next to the fields.
      const fieldErrors = error instanceof ApiError ? configErrorsOf(error.body) : [];
      this.configErrors = fieldErrors;
      this.error =
        fieldErrors.length > 0
          ? `${command === 'enable' ? 'Not enabled' : 'Not saved'}: the configuration has problems, marked below.`
          : messageOf(error);
    } finally {
      this.busy = undefined;
    }
  }
}
