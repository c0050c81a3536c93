import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, problem } from '../segments/fake-fetch.fixture.js';
import PluginDetail from './PluginDetail.svelte';
import PluginsOverview from './PluginsOverview.svelte';
import type { CatalogPlugin, InstalledPlugin } from './plugins-api.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const webhookSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', description: 'Where to POST.' },
    secret: { type: 'string', minLength: 16, writeOnly: true },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 30000, default: 10000 },
  },
  required: ['url', 'secret'],
};

const catalogEntry: CatalogPlugin = {
  name: 'webhook',
  version: '1.0.0',
  description: 'Sends events to an HTTP endpoint as signed JSON POSTs.',
  author: 'USPA',
  hooks: ['onEvent'],
  permissions: { network: ['config:url'], events: ['Tracked', 'Identified'] },
  configSchema: webhookSchema,
  source: { kind: 'builtin' },
  installed: null,
};

const installed: InstalledPlugin = {
  name: 'webhook',
  version: '1.0.0',
  builtIn: true,
  origin: { kind: 'builtin' },
  hooks: ['onEvent'],
  projections: [],
  permissions: catalogEntry.permissions,
  configSchema: webhookSchema,
  config: { url: 'https://hooks.example/uspa', secret: '••••••••' },
  configured: true,
  enabled: true,
  running: true,
  status: 'running',
  faultCount: 1,
  faults: [
    {
      version: '1.0.0',
      hook: 'onEvent',
      kind: 'timeout',
      message: 'no answer in 10 s',
      at: '2026-05-01T10:00:00.000Z',
    },
  ],
  metrics: { calls: 12, outcomes: { ok: 11, timeout: 1 }, faults: 1, custom: {} },
  installedAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-02T00:00:00.000Z',
  revision: 3,
};

describe('PluginsOverview', () => {
  it('shows what a catalog plugin may do before installing it, and installs it', async () => {
    const server = fakeFetch({
      'GET /v1/admin/plugins': { body: { plugins: [] } },
      'GET /v1/admin/plugins/catalog': { body: { plugins: [catalogEntry] } },
      'POST /v1/admin/plugins': {
        status: 201,
        body: { ...installed, enabled: false, status: 'disabled' },
      },
    });
    render(PluginsOverview);
    const card = (await screen.findByRole('heading', { name: 'webhook' })).closest('article')!;
    expect(within(card).getByText('the host of setting “url”')).toBeTruthy();
    expect(within(card).getByText('Identified')).toBeTruthy();
    expect(within(card).getByText('onEvent')).toBeTruthy();

    await fireEvent.click(within(card).getByRole('button', { name: 'Install webhook' }));
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      source: 'catalog',
      name: 'webhook',
    });
    expect(await screen.findByRole('link', { name: 'configure and enable it' })).toBeTruthy();
  });

  it('shows which fields of each event an enrich plugin reads, or that it reads them all', async () => {
    const utm: CatalogPlugin = {
      ...catalogEntry,
      name: 'utm',
      hooks: ['enrich'],
      permissions: { network: [], events: [], fields: ['context.page.url', 'properties.price'] },
      source: { kind: 'folder', path: '/plugins/utm' },
    };
    const crm: CatalogPlugin = { ...utm, name: 'crm', permissions: { network: [], events: [] } };
    fakeFetch({
      'GET /v1/admin/plugins': { body: { plugins: [] } },
      'GET /v1/admin/plugins/catalog': { body: { plugins: [utm, crm, catalogEntry] } },
    });
    render(PluginsOverview);
    const card = async (name: string) =>
      within((await screen.findByRole('heading', { name })).closest('article')!);
    const reads = (await card('utm')).getByText('Reads').nextElementSibling!;
    expect([...reads.querySelectorAll('.chip')].map((chip) => chip.textContent)).toEqual([
      'context.page.url',
      'properties.price',
    ]);
    expect((await card('crm')).getByText('The whole event')).toBeTruthy();
    expect((await card('webhook')).queryByText('Reads')).toBeNull();
  });

  it('installs from npm and uploads a package as gzip', async () => {
    const server = fakeFetch({
      'GET /v1/admin/plugins': { body: { plugins: [] } },
      'GET /v1/admin/plugins/catalog': { body: { plugins: [] } },
      'POST /v1/admin/plugins': problem(
        502,
        'registry_unreachable',
        'The npm registry did not answer',
      ),
      'POST /v1/admin/plugins/upload': { status: 201, body: { ...installed, name: 'crm' } },
    });
    render(PluginsOverview);
    await fireEvent.input(await screen.findByLabelText('From npm'), {
      target: { value: 'uspa-plugin-crm@1.2.0' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Install from npm' }));
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      source: 'npm',
      spec: 'uspa-plugin-crm@1.2.0',
    });
    expect(
      await screen.findByText(
        /Could not install uspa-plugin-crm@1.2.0: The npm registry did not answer/,
      ),
    ).toBeTruthy();

    const file = new File([new Uint8Array([31, 139])], 'crm-1.0.0.tgz', {
      type: 'application/gzip',
    });
    await fireEvent.change(screen.getByLabelText(/^Upload a package/), {
      target: { files: [file] },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Upload and install' }));
    const upload = server.fetch.mock.calls.find(([path]) => path === '/v1/admin/plugins/upload')!;
    expect((upload[1]!.headers as Record<string, string>)['content-type']).toBe('application/gzip');
    expect(await screen.findByText(/Installed crm/)).toBeTruthy();
  });
});

describe('PluginDetail', () => {
  const routes = (extra: Parameters<typeof fakeFetch>[0] = {}) =>
    fakeFetch({
      'GET /v1/admin/plugins/webhook': { body: installed },
      'GET /v1/admin/plugins/webhook/logs?limit=200': {
        body: { lines: [{ at: '2026-05-01T10:00:00Z', level: 'warn', message: 'slow receiver' }] },
      },
      'GET /v1/admin/plugins/webhook/history': {
        body: {
          history: [
            {
              id: 'e1',
              type: 'PluginDisabled',
              at: '2026-04-03T00:00:00Z',
              revision: 2,
              by: 'key_1',
              reason: 'maintenance',
            },
          ],
        },
      },
      'GET /v1/admin/plugins/webhook/dead-letters?pending=true': {
        body: {
          deadLetters: [
            {
              id: 'd1',
              at: '2026-05-01T10:00:00Z',
              consumer: 'events',
              event: { id: 'ev1', type: 'Tracked' },
              error: { kind: 'timeout', message: 'no answer' },
              attempts: 5,
            },
          ],
        },
      },
      ...extra,
    });

  it('shows status, faults, logs, history and dead letters, and replays them', async () => {
    const server = routes({
      'POST /v1/admin/plugins/webhook/dead-letters/replay': {
        body: { replayed: 1, delivered: 1, failed: 0, errors: [] },
      },
    });
    render(PluginDetail, { props: { name: 'webhook' } });
    expect(await screen.findByRole('heading', { name: 'webhook' })).toBeTruthy();
    expect(screen.getByText('no answer in 10 s', { exact: false })).toBeTruthy();
    expect(await screen.findByText('slow receiver')).toBeTruthy();
    expect(await screen.findByText('maintenance')).toBeTruthy();
    expect(await screen.findByText('ev1')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Replay pending' }));
    expect(await screen.findByText('Replayed 1: 1 delivered, 0 failed again.')).toBeTruthy();
    expect(server.requests.some((r) => r.method === 'POST' && r.path.endsWith('/replay'))).toBe(
      true,
    );
  });

  it('saves the configuration, keeping the masked secret, and shows refused fields in place', async () => {
    const server = routes({
      'PUT /v1/admin/plugins/webhook/config': problem(
        400,
        'validation_failed',
        'Invalid configuration for webhook',
        {
          errors: [{ path: '/url', message: 'must match pattern "^https?://"' }],
        },
      ),
    });
    render(PluginDetail, { props: { name: 'webhook' } });
    const url = await screen.findByRole('textbox', { name: 'url' });
    await fireEvent.input(url, { target: { value: 'ftp://nope' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save configuration' }));
    expect(server.requests.find((r) => r.method === 'PUT')?.body).toEqual({
      url: 'ftp://nope',
      secret: '••••••••',
      timeoutMs: 10000,
    });
    expect(await screen.findByText('must match pattern "^https?://"')).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBe('true');
  });

  it('says why a plugin cannot use its stored configuration', async () => {
    routes({
      'GET /v1/admin/plugins/webhook': {
        body: {
          ...installed,
          running: false,
          status: 'starting',
          configProblem:
            'its configuration holds secrets this process cannot open (/secret: the secret was sealed with key 1a2b3c4d, and this process has key 5e6f7a8b)',
        },
      },
    });
    render(PluginDetail, { props: { name: 'webhook' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The plugin cannot start');
    expect(alert.textContent).toContain('sealed with key 1a2b3c4d');
  });

  it('asks a reason before disabling', async () => {
    const server = routes({
      'POST /v1/admin/plugins/webhook/disable': {
        body: {
          ...installed,
          enabled: false,
          running: false,
          status: 'disabled',
          disabled: { reason: 'receiver down', by: 'key_1', at: '2026-05-02T00:00:00Z' },
          revision: 4,
        },
      },
    });
    render(PluginDetail, { props: { name: 'webhook' } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Disable…' }));
    await fireEvent.input(screen.getByLabelText(/^Why disable it/), {
      target: { value: 'receiver down' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Disable' }));
    expect(server.requests.find((r) => r.path.endsWith('/disable'))?.body).toEqual({
      reason: 'receiver down',
    });
    expect(await screen.findByText('Disabled: receiver down', { exact: false })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enable' })).toBeTruthy();
  });
});
