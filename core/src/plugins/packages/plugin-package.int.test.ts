/**
 * Folder and tarball plugins, bundled by the real esbuild from projects written to a temp dir,
 * their code run in a plain `vm` context as the sandbox runs it.
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sri } from './integrity.js';
import { loadPluginPackage } from './plugin-package.js';
import {
  aPageView,
  definitionOf,
  enrichWith,
  GEO_PLUGIN,
  TINY_GEO,
} from './plugin-code.fixture.js';
import { aPluginProject, scratchDirectory } from './plugin-project.fixture.js';
import type { PluginSource } from './plugin-source.js';

const registry = 'http://127.0.0.1:9'; // Never asked: these sources are local.
let scratch: Awaited<ReturnType<typeof scratchDirectory>>;
const previousTmpdir = process.env.TMPDIR;

beforeAll(async () => {
  scratch = await scratchDirectory();
  // os.tmpdir() reads TMPDIR: the loader's own temp dirs land here, where the test can count them.
  process.env.TMPDIR = await scratchSubdirectory('tmp');
});
afterAll(async () => {
  process.env.TMPDIR = previousTmpdir;
  await scratch.remove();
});

async function scratchSubdirectory(name: string): Promise<string> {
  const path = join(scratch.path, name);
  await mkdir(path, { recursive: true });
  return path;
}

const geoProject = () =>
  aPluginProject('geo').withFile('index.js', GEO_PLUGIN).withDependency('tiny-geo', TINY_GEO);

const load = (source: PluginSource, maxBytes?: number) =>
  loadPluginPackage(source, { registry, maxBytes });

describe('a folder plugin', () => {
  it('bundles with the dependency from its own node_modules into one classic script', async () => {
    const project = await geoProject().writtenTo(scratch.path);
    const plugin = await load({ kind: 'folder', path: project.root });

    expect(plugin).toMatchObject({ name: 'geo', version: '1.0.0' });
    expect(plugin.origin).toEqual({ kind: 'folder', path: project.root });
    expect(plugin.integrity).toBe(sri(plugin.code));
    expect(plugin.code).not.toMatch(/\bimport\b|\brequire\(/);
    expect(definitionOf(plugin.code)).toMatchObject({ name: 'geo', host: '>=0.1.0' });
    expect(await enrichWith(plugin.code, aPageView('81.2.69.160'))).toMatchObject({
      enrichment: { geo: { country: 'GB', mode: 'production' } },
    });
  });

  it('starts from exports["."] with the import condition, before module and main', async () => {
    const project = await aPluginProject('entry')
      .withManifest({
        exports: { '.': { types: './d.ts', require: './cjs.js', import: './esm.js' } },
        module: './module.js',
      })
      .withFile('esm.js', "export default { name: 'entry', version: '1.0.0', from: 'esm' };")
      .withFile('module.js', "export default { from: 'module' };")
      .withFile('index.js', "export default { from: 'main' };")
      .writtenTo(scratch.path);
    const plugin = await load({ kind: 'folder', path: project.root });
    expect(definitionOf(plugin.code)).toMatchObject({ from: 'esm' });
  });

  it('takes a CommonJS module.exports as the definition', async () => {
    const project = await aPluginProject('cjs')
      .withManifest({ type: 'commonjs' })
      .withFile('index.js', "module.exports = { name: 'cjs', version: '1.0.0' };")
      .writtenTo(scratch.path);
    const plugin = await load({ kind: 'folder', path: project.root });
    expect(definitionOf(plugin.code)).toMatchObject({ name: 'cjs' });
  });

  it.each([
    ['fs', "import { readFileSync } from 'fs'; export default { read: readFileSync };"],
    ['node:net', "import net from 'node:net'; export default { net };"],
    ['child_process', "const cp = require('child_process'); module.exports = { cp };"],
  ])('is refused when it imports the Node built-in %s', async (module, code) => {
    const project = await aPluginProject('sneaky')
      .withFile('index.js', code)
      .writtenTo(scratch.path);
    const refusal = load({ kind: 'folder', path: project.root });
    await expect(refusal).rejects.toMatchObject({
      code: 'plugin_uses_node_builtin',
      status: 400,
      details: { modules: [module] },
    });
    await expect(refusal).rejects.toThrow(
      /run isolated, without Node APIs.*ctx\.fetch.*ctx\.store/,
    );
  });

  it('may use an npm polyfill that shares a built-in name', async () => {
    const project = await aPluginProject('polyfilled')
      .withFile('index.js', "import { hello } from 'events'; export default { said: hello() };")
      .withDependency('events', "exports.hello = () => 'from the polyfill';")
      .writtenTo(scratch.path);
    const plugin = await load({ kind: 'folder', path: project.root });
    expect(definitionOf(plugin.code)).toMatchObject({ said: 'from the polyfill' });
  });

  it('is refused without package.json, or with a version that is not semver', async () => {
    const bare = await geoProject().writtenTo(scratch.path, { packageJson: false });
    await expect(load({ kind: 'folder', path: bare.root })).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      status: 400,
      message: 'The plugin has no package.json',
    });
    const badVersion = await geoProject().withManifest({ version: '1.0' }).writtenTo(scratch.path);
    await expect(load({ kind: 'folder', path: badVersion.root })).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: expect.stringMatching(/no valid semver version: "1\.0"/) as unknown,
    });
  });

  it('is refused when a module it imports is missing, naming the module', async () => {
    const project = await aPluginProject('broken')
      .withFile('index.js', "import x from 'not-installed'; export default x;")
      .writtenTo(scratch.path);
    await expect(load({ kind: 'folder', path: project.root })).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: expect.stringContaining('"not-installed"') as unknown,
    });
  });
});

describe('a tarball plugin', () => {
  it('bundles what the tarball ships in its node_modules (bundledDependencies)', async () => {
    const project = await geoProject()
      .withManifest({ bundledDependencies: ['tiny-geo'] })
      .writtenTo(scratch.path);
    const bytes = await project.pack();
    const plugin = await load({ kind: 'tarball', bytes });

    expect(plugin).toMatchObject({ name: 'geo', version: '1.0.0', origin: { kind: 'tarball' } });
    expect(plugin.integrity).toBe(sri(bytes));
    expect(plugin.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
    expect(await enrichWith(plugin.code, aPageView('81.2.69.160'))).toMatchObject({
      enrichment: { geo: { country: 'GB' } },
    });
    expect(await readdir(process.env.TMPDIR!)).toEqual([]); // The extraction is gone.
  });

  it('does not resolve dependencies from the server disk', async () => {
    // Above the extraction dir (TMPDIR) lies a node_modules, as a server's disk may have one.
    const hostModules = await scratchSubdirectory('node_modules/host-only');
    await writeFile(join(hostModules, 'index.js'), 'export const secret = 42;');
    const project = await aPluginProject('leaning')
      .withFile('index.js', "import { secret } from 'host-only'; export default { secret };")
      .writtenTo(scratch.path);
    expect(definitionOf((await load({ kind: 'folder', path: project.root })).code)).toMatchObject({
      secret: 42, // A folder resolves like Node, up the tree.
    });
    await expect(load({ kind: 'tarball', bytes: await project.pack() })).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: expect.stringMatching(
        /"host-only" resolves outside the package.*bundledDependencies/,
      ) as unknown,
    });
  });

  it('is refused without package/package.json, and when it is not a tarball', async () => {
    const bare = await geoProject().writtenTo(scratch.path, { packageJson: false });
    await expect(load({ kind: 'tarball', bytes: await bare.pack() })).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: 'The plugin has no package.json',
    });
    await expect(
      load({ kind: 'tarball', bytes: Buffer.from('{"name":"x"}') }),
    ).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: expect.stringContaining('gzip') as unknown,
    });
    expect(await readdir(process.env.TMPDIR!)).toEqual([]);
  });

  it('is refused over the unpacked or the packed size limit', async () => {
    const project = await geoProject()
      .withFile('data.txt', 'x'.repeat(50_000))
      .writtenTo(scratch.path);
    const bytes = await project.pack();
    await expect(load({ kind: 'tarball', bytes }, 20_000)).rejects.toMatchObject({
      code: 'plugin_package_too_large',
      status: 413,
    });
    await expect(
      loadPluginPackage({ kind: 'tarball', bytes }, { registry, maxPackedBytes: 100 }),
    ).rejects.toMatchObject({ code: 'plugin_package_too_large', details: { limit: 100 } });
  });

  it('is refused when it holds a symlink, and nothing is extracted through it', async () => {
    const project = await geoProject().writtenTo(scratch.path);
    await symlink('/etc', join(project.root, 'escape'));
    await expect(load({ kind: 'tarball', bytes: await project.pack() })).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: expect.stringContaining('package/escape is a SymbolicLink') as unknown,
    });
    expect(await readdir(process.env.TMPDIR!)).toEqual([]);
  });

  it('is refused when an entry climbs out with ..', async () => {
    const project = await geoProject().writtenTo(scratch.path);
    const inner = join(project.root, 'node_modules');
    const stream = create({ gzip: true, cwd: inner, preservePaths: true }, ['../package.json']);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    await expect(load({ kind: 'tarball', bytes: Buffer.concat(chunks) })).rejects.toMatchObject({
      code: 'plugin_package_invalid',
      message: 'The tarball has an entry outside the package: ../package.json',
    });
  });
});
