/**
 * npm installs against a real registry served by node:http on 127.0.0.1: packuments, dist-tags,
 * tarballs with right and wrong digests, and a registry that is down.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sri } from './integrity.js';
import { LocalRegistry } from './local-registry.fixture.js';
import { loadPluginPackage } from './plugin-package.js';
import { aPageView, enrichWith, GEO_PLUGIN, TINY_GEO } from './plugin-code.fixture.js';
import { aPluginProject, scratchDirectory } from './plugin-project.fixture.js';

let scratch: Awaited<ReturnType<typeof scratchDirectory>>;
let registry: LocalRegistry;
let tmp: string;
const previousTmpdir = process.env.TMPDIR;

/** The geo plugin at `version`, packed with its dependency bundled. */
async function geoTarball(name: string, version: string): Promise<Buffer> {
  const project = await aPluginProject(name)
    .withManifest({ version, bundledDependencies: ['tiny-geo'] })
    .withFile('index.js', GEO_PLUGIN)
    .withDependency('tiny-geo', TINY_GEO)
    .writtenTo(scratch.path);
  return project.pack();
}

beforeAll(async () => {
  scratch = await scratchDirectory();
  tmp = join(scratch.path, 'tmp');
  await mkdir(tmp);
  process.env.TMPDIR = tmp; // os.tmpdir(): the loader's extraction dirs land here.
  registry = await LocalRegistry.start();
});
afterAll(async () => {
  process.env.TMPDIR = previousTmpdir;
  await registry.close();
  await scratch.remove();
});
beforeEach(() => {
  registry.requests.length = 0;
});

const install = (spec: string, options: { maxPackedBytes?: number } = {}) =>
  loadPluginPackage({ kind: 'npm', spec }, { registry: registry.url, ...options });

describe('an npm plugin', () => {
  it('installs an exact version, its tarball verified against dist.integrity', async () => {
    const bytes = await geoTarball('geo', '1.0.0');
    const tarball = registry.publish('geo', '1.0.0', bytes);
    registry.publish('geo', '1.1.0', await geoTarball('geo', '1.1.0'));

    const plugin = await install('geo@1.0.0');

    expect(plugin).toMatchObject({ name: 'geo', version: '1.0.0', integrity: sri(bytes) });
    expect(plugin.origin).toEqual({ kind: 'npm', spec: 'geo@1.0.0', tarball });
    expect(await enrichWith(plugin.code, aPageView('81.2.69.160'))).toMatchObject({
      enrichment: { geo: { country: 'GB', mode: 'production' } },
    });
    expect(registry.requests[0]).toEqual({
      url: '/geo',
      accept: expect.stringMatching(/^application\/vnd\.npm\.install-v1\+json/) as unknown,
    });
    expect(await readdir(tmp)).toEqual([]);
  });

  it('resolves a dist-tag, and latest when no version is given', async () => {
    registry.publish('tagged', '1.0.0', await geoTarball('tagged', '1.0.0'));
    registry.publish('tagged', '2.0.0-beta.1', await geoTarball('tagged', '2.0.0-beta.1'));
    registry.tag('tagged', 'latest', '1.0.0');
    registry.tag('tagged', 'beta', '2.0.0-beta.1');

    expect(await install('tagged@beta')).toMatchObject({ version: '2.0.0-beta.1' });
    expect(await install('tagged')).toMatchObject({ version: '1.0.0' });
  });

  it('asks for a scoped package as @scope%2fname', async () => {
    registry.publish('@acme/crm', '3.0.0', await geoTarball('@acme/crm', '3.0.0'));
    expect(await install('@acme/crm@3.0.0')).toMatchObject({ name: '@acme/crm' });
    expect(registry.requests[0]?.url).toBe('/@acme%2fcrm');
  });

  it('falls back to dist.shasum only when dist.integrity is absent', async () => {
    const bytes = await geoTarball('old-style', '1.0.0');
    const { createHash } = await import('node:crypto');
    const shasum = createHash('sha1').update(bytes).digest('hex');
    registry.publish('old-style', '1.0.0', bytes, { shasum });
    expect(await install('old-style@1.0.0')).toMatchObject({ integrity: sri(bytes) });

    registry.publish('old-style', '1.0.1', await geoTarball('old-style', '1.0.1'), { shasum });
    await expect(install('old-style@1.0.1')).rejects.toMatchObject({
      code: 'plugin_integrity_mismatch',
      message: expect.stringContaining('shasum') as unknown,
    });
  });

  it('refuses a tarball that does not match dist.integrity, keeping nothing', async () => {
    const other = await geoTarball('tampered', '0.9.0');
    registry.publish('tampered', '1.0.0', await geoTarball('tampered', '1.0.0'), {
      integrity: sri(other),
      // A matching shasum must not rescue it: integrity, when given, decides.
      shasum: (await import('node:crypto')).createHash('sha1').update(other).digest('hex'),
    });
    await expect(install('tampered@1.0.0')).rejects.toMatchObject({
      code: 'plugin_integrity_mismatch',
      status: 422,
      details: { expected: [sri(other)] },
    });
    expect(await readdir(tmp)).toEqual([]);
  });

  it('refuses a tarball the registry gives no digest for', async () => {
    registry.publish('unchecked', '1.0.0', await geoTarball('unchecked', '1.0.0'), {});
    await expect(install('unchecked@1.0.0')).rejects.toMatchObject({
      code: 'plugin_integrity_mismatch',
      message: expect.stringContaining('no usable integrity') as unknown,
    });
  });

  it.each(['geo@^1.0.0', 'geo@1', 'geo@>=1.0.0 <2', 'geo@*'])(
    'refuses the range %s before asking the registry',
    async (spec) => {
      await expect(install(spec)).rejects.toMatchObject({
        code: 'plugin_spec_invalid',
        status: 400,
      });
      expect(registry.requests).toEqual([]);
    },
  );

  it('answers 404 for an unknown package, version or dist-tag', async () => {
    registry.publish('known', '1.0.0', await geoTarball('known', '1.0.0'));
    for (const [spec, message] of [
      ['nobody-published-this@1.0.0', 'Package nobody-published-this is not in the npm registry'],
      ['known@9.9.9', 'Package known has no version 9.9.9'],
      ['known@nightly', 'Package known has no dist-tag "nightly"'],
    ]) {
      await expect(install(spec!)).rejects.toMatchObject({
        code: 'plugin_package_not_found',
        status: 404,
        message: expect.stringContaining(message!) as unknown,
      });
    }
  });

  it('refuses a tarball that holds another package than the registry listed', async () => {
    registry.publish('impostor', '1.0.0', await geoTarball('geo', '1.0.0'));
    await expect(install('impostor@1.0.0')).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: 'The tarball of impostor@1.0.0 holds geo@1.0.0',
    });
  });

  it('refuses a tarball over the packed size limit', async () => {
    registry.publish('big', '1.0.0', await geoTarball('big', '1.0.0'));
    await expect(install('big@1.0.0', { maxPackedBytes: 200 })).rejects.toMatchObject({
      code: 'plugin_package_too_large',
      status: 413,
    });
  });
});

describe('a registry that fails', () => {
  it('is reported as unreachable (502) when it answers 500', async () => {
    registry.failPackument('flaky', 500);
    await expect(install('flaky@1.0.0')).rejects.toMatchObject({
      code: 'plugin_registry_unreachable',
      status: 502,
      message: 'The npm registry answered 500 for package flaky',
    });
  });

  it('is reported as unreachable (502) when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const refusal = loadPluginPackage(
      { kind: 'npm', spec: 'geo@1.0.0' },
      { registry: `http://127.0.0.1:${port}` },
    );
    await expect(refusal).rejects.toMatchObject({
      code: 'plugin_registry_unreachable',
      status: 502,
    });
    await expect(refusal).rejects.toThrow(
      `Cannot reach the npm registry at 127.0.0.1:${port}: ECONNREFUSED`,
    );
  });
});
