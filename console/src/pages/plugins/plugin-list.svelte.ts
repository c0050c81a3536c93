import { messageOf } from '../../lib/errors.js';
import { problemMessages } from '../segments/problem.js';
import {
  pluginsApi,
  type CatalogPlugin,
  type InstalledPlugin,
  type InstallRequest,
} from './plugins-api.js';

/**
 * The marketplace page: what is installed, what the catalog offers, and installs from the
 * catalog, npm or an uploaded package. After an install both lists are read again, since the
 * catalog marks what is installed.
 */
export class PluginListState {
  installed = $state.raw<InstalledPlugin[]>([]);
  catalog = $state.raw<CatalogPlugin[]>([]);
  loaded = $state(false);
  error = $state<string>();
  /** The install in progress (a plugin name, an npm spec or a file name). */
  installing = $state<string>();
  installError = $state<string>();
  installErrorLines = $state.raw<string[]>([]);
  /** The plugin just installed, to offer its page. */
  justInstalled = $state<string>();

  async load(): Promise<void> {
    try {
      const [installed, catalog] = await Promise.all([
        pluginsApi.installed(),
        pluginsApi.catalog(),
      ]);
      this.installed = installed;
      this.catalog = catalog;
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  install(request: InstallRequest, label: string): Promise<boolean> {
    return this.#installing(label, () => pluginsApi.install(request));
  }

  upload(file: File): Promise<boolean> {
    return this.#installing(file.name, () => pluginsApi.upload(file));
  }

  async #installing(label: string, install: () => Promise<InstalledPlugin>): Promise<boolean> {
    this.installing = label;
    this.installError = undefined;
    this.installErrorLines = [];
    try {
      const plugin = await install();
      this.justInstalled = plugin.name;
      await this.load();
      return true;
    } catch (error) {
      const lines = problemMessages(error);
      this.installError = `Could not install ${label}: ${messageOf(error)}`;
      this.installErrorLines =
        lines.length === 1 && this.installError.endsWith(lines[0]!) ? [] : lines;
      return false;
    } finally {
      this.installing = undefined;
    }
  }
}
