import { Router, type Request, type Response } from 'express';
import { streamOf } from '../domain/streams.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { requireSecretKey } from '../http/authenticate.js';
import { readJsonBody, readRawBody } from '../http/read-body.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { PluginLogBook } from './context/plugin-log-book.js';
import type { PluginMetrics } from './context/plugin-metrics.js';
import type { InstalledPlugin, PluginDirectory } from './domain/plugin-directory.js';
import type { PluginDeadLetters } from './host/plugin-dead-letters.js';
import type { PluginHost } from './host/plugin-host.js';
import { replayDeadLetters } from './host/replay-dead-letters.js';
import { installRequestOf } from './marketplace/install-request.js';
import type { CatalogEntry } from './marketplace/plugin-catalog.js';
import type { PluginCommands } from './marketplace/plugin-commands.js';
import { historyOf, pluginView } from './marketplace/plugin-views.js';

const BODY_LIMIT = 256 * 1024;
/** An uploaded package, packed (`npm pack` output). */
const UPLOAD_LIMIT = 5 * 1024 * 1024;
const TARBALL_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream'];

export interface PluginRouteDeps {
  keys: ApiKeyDirectory;
  store: EventStore;
  directory: PluginDirectory;
  commands: PluginCommands;
  catalog: readonly CatalogEntry[];
  host: PluginHost;
  logBook: PluginLogBook;
  metrics: PluginMetrics;
  deadLetters: PluginDeadLetters;
}

/**
 * The marketplace API (design §11), admin scope: the catalog; install from a built-in, the
 * catalog, a folder, an uploaded tarball or npm; configure (secrets masked in every answer),
 * enable, disable, change version, uninstall — each an event, listed as the plugin's history;
 * its recent log lines, faults and metrics; its dead letters and their replay.
 */
export function pluginRoutes(deps: PluginRouteDeps): Router {
  const { keys, directory, commands, host } = deps;
  const router = Router();
  const admin = (request: Request): string => requireSecretKey(keys, request, 'admin').id;
  const view = (plugin: InstalledPlugin) =>
    pluginView(plugin, {
      running: host.isRunning(plugin.release.name),
      metrics: deps.metrics.snapshot(plugin.release.name),
    });
  const installed = (request: Request): InstalledPlugin => {
    const name = String(request.params.name);
    const plugin = directory.get(name);
    if (!plugin) throw new NotFoundError(`No plugin ${name} is installed`);
    return plugin;
  };
  const answer = async (response: Response, plugin: InstalledPlugin, status = 200) => {
    // The host starts or stops the plugin from the same event; answer with the result.
    await host.settled();
    response.status(status).json(view(directory.get(plugin.release.name) ?? plugin));
  };

  router.get('/v1/admin/plugins/catalog', (request, response) => {
    admin(request);
    const plugins = deps.catalog.map((entry) => {
      const current = directory.get(entry.name);
      return {
        ...entry,
        installed: current ? { version: current.release.version, enabled: current.enabled } : null,
      };
    });
    response.json({ plugins });
  });
  router.get('/v1/admin/plugins', (request, response) => {
    admin(request);
    response.json({ plugins: directory.list().map(view) });
  });
  router.post('/v1/admin/plugins', async (request, response) => {
    const by = admin(request);
    const plugin = await commands.install(
      installRequestOf(await readJsonBody(request, BODY_LIMIT)),
      by,
    );
    response.location(`/v1/admin/plugins/${encodeURIComponent(plugin.release.name)}`);
    await answer(response, plugin, 201);
  });
  router.post('/v1/admin/plugins/upload', async (request, response) => {
    const by = admin(request);
    const bytes = await readRawBody(request, UPLOAD_LIMIT, TARBALL_TYPES);
    const plugin = await commands.install({ source: 'tarball', bytes }, by);
    response.location(`/v1/admin/plugins/${encodeURIComponent(plugin.release.name)}`);
    await answer(response, plugin, 201);
  });
  router.get('/v1/admin/plugins/:name', (request, response) => {
    admin(request);
    response.json(view(installed(request)));
  });
  router.put('/v1/admin/plugins/:name/config', async (request, response) => {
    const by = admin(request);
    const name = installed(request).release.name;
    await answer(
      response,
      await commands.configure(name, await readJsonBody(request, BODY_LIMIT), by),
    );
  });
  router.post('/v1/admin/plugins/:name/enable', async (request, response) => {
    const by = admin(request);
    await answer(response, await commands.enable(installed(request).release.name, by));
  });
  router.post('/v1/admin/plugins/:name/disable', async (request, response) => {
    const by = admin(request);
    const body = (await readJsonBody(request, BODY_LIMIT, {
      types: ['application/json', ''],
    }).catch(() => null)) as { reason?: unknown } | null;
    const reason =
      typeof body?.reason === 'string' && body.reason ? body.reason : 'disabled by an operator';
    await answer(response, await commands.disable(installed(request).release.name, reason, by));
  });
  router.post('/v1/admin/plugins/:name/version', async (request, response) => {
    const by = admin(request);
    const name = installed(request).release.name;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const source = TARBALL_TYPES.includes(type)
      ? {
          source: 'tarball' as const,
          bytes: await readRawBody(request, UPLOAD_LIMIT, TARBALL_TYPES),
        }
      : installRequestOf(await readJsonBody(request, BODY_LIMIT));
    await answer(response, await commands.changeVersion(name, source, by));
  });
  router.delete('/v1/admin/plugins/:name', async (request, response) => {
    const by = admin(request);
    await commands.uninstall(installed(request).release.name, by);
    await host.settled();
    response.status(204).end();
  });
  router.get('/v1/admin/plugins/:name/history', async (request, response) => {
    admin(request);
    const name = String(request.params.name);
    const { events, status } = await deps.store.readStream(streamOf.plugin(name), {
      maxCount: 10_000,
    });
    if (status !== 'ok') throw new NotFoundError(`No plugin ${name} was ever installed`);
    response.json({ history: historyOf(events) });
  });
  router.get('/v1/admin/plugins/:name/logs', (request, response) => {
    admin(request);
    const name = installed(request).release.name;
    const limit = Number(request.query.limit ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationError('limit must be an integer from 1 to 1000');
    }
    response.json({ lines: deps.logBook.lines(name, { limit }) });
  });
  router.get('/v1/admin/plugins/:name/dead-letters', async (request, response) => {
    admin(request);
    const name = String(request.params.name);
    const pending = request.query.pending === 'true';
    response.json({ deadLetters: await deps.deadLetters.list(name, { pending }) });
  });
  router.post('/v1/admin/plugins/:name/dead-letters/replay', async (request, response) => {
    admin(request);
    const name = installed(request).release.name;
    response.json(await replayDeadLetters(name, host.runtime(name), deps.deadLetters));
  });
  return router;
}
