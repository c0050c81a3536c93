import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';

/**
 * Builds plugin projects on disk for the package tests: a `package.json`, source files, and
 * dependencies written straight into `node_modules`, then packed as `npm pack` would.
 *
 * @example
 * const project = await aPluginProject('geo').withFile('index.js', code).writtenTo(dir);
 * const bytes = await project.pack();
 */
export class PluginProjectBuilder {
  readonly #manifest: Record<string, unknown>;
  readonly #files = new Map<string, string>();

  constructor(name: string) {
    this.#manifest = { name, version: '1.0.0', type: 'module', main: 'index.js' };
  }

  withManifest(fields: Record<string, unknown>): this {
    Object.assign(this.#manifest, fields);
    return this;
  }

  withoutManifestField(field: string): this {
    delete this.#manifest[field];
    return this;
  }

  withFile(path: string, contents: string): this {
    this.#files.set(path, contents);
    return this;
  }

  /** A package in the project's own `node_modules`, with one module as its `main`. */
  withDependency(name: string, code: string, manifest: Record<string, unknown> = {}): this {
    const root = `node_modules/${name}`;
    this.#files.set(
      `${root}/package.json`,
      JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...manifest }),
    );
    return this.withFile(`${root}/index.js`, code);
  }

  /** Writes the project into a fresh directory under `parent`; `packageJson: false` leaves it out. */
  async writtenTo(parent: string, options: { packageJson?: boolean } = {}): Promise<PluginProject> {
    const root = await mkdtemp(join(parent, 'project-'));
    if (options.packageJson !== false) {
      await writeFile(join(root, 'package.json'), JSON.stringify(this.#manifest, null, 2));
    }
    for (const [path, contents] of this.#files) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), contents);
    }
    return new PluginProject(root);
  }
}

export function aPluginProject(name: string): PluginProjectBuilder {
  return new PluginProjectBuilder(name);
}

/** A plugin project written to disk. */
export class PluginProject {
  constructor(readonly root: string) {}

  /** The project as an `npm pack` tarball: every file under `package/`, gzipped. */
  async pack(): Promise<Buffer> {
    const stream = create({ gzip: true, cwd: this.root, prefix: 'package/', portable: true }, [
      '.',
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** A scratch directory for one test file; `remove` deletes it with everything in it. */
export async function scratchDirectory(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'uspa-plugin-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
