import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sri } from './integrity.js';

/** What a published version's `dist` says; `undefined` leaves the field out, as old registries do. */
export interface PublishedDigest {
  integrity?: string;
  shasum?: string;
}

/**
 * A real npm registry on 127.0.0.1: packuments and tarballs from memory, every request recorded.
 *
 * @example
 * const registry = await LocalRegistry.start();
 * registry.publish('geo', '1.0.0', tarball);
 * await loadPluginPackage({ kind: 'npm', spec: 'geo@1.0.0' }, { registry: registry.url });
 */
export class LocalRegistry {
  readonly requests: { url: string; accept: string | undefined }[] = [];
  readonly #packuments = new Map<
    string,
    { 'dist-tags': Record<string, string>; versions: Record<string, unknown> }
  >();
  readonly #tarballs = new Map<string, Buffer>();
  readonly #failures = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<LocalRegistry> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const registry = new LocalRegistry(server, `http://127.0.0.1:${port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      registry.handle(request, response),
    );
    return registry;
  }

  /** Publishes a version and points `latest` at it; `digest` overrides the correct one. */
  publish(name: string, version: string, tarball: Buffer, digest?: PublishedDigest): string {
    const path = `/-/${name}-${version}.tgz`;
    this.#tarballs.set(path, tarball);
    const packument = this.#packuments.get(name) ?? { 'dist-tags': {}, versions: {} };
    const dist = digest ?? {
      integrity: sri(tarball),
      shasum: createHash('sha1').update(tarball).digest('hex'),
    };
    packument.versions[version] = { name, version, dist: { ...dist, tarball: this.url + path } };
    packument['dist-tags'].latest = version;
    this.#packuments.set(name, packument);
    return this.url + path;
  }

  tag(name: string, tag: string, version: string): void {
    const packument = this.#packuments.get(name);
    if (packument) packument['dist-tags'][tag] = version;
  }

  /** Answers `status` to every request for `name`'s packument. */
  failPackument(name: string, status: number): void {
    this.#failures.set(name, status);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '/';
    this.requests.push({ url, accept: request.headers.accept });
    const tarball = this.#tarballs.get(url);
    if (tarball) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      return;
    }
    const name = decodeURIComponent(url.slice(1));
    const failure = this.#failures.get(name);
    const packument = this.#packuments.get(name);
    if (failure !== undefined || packument === undefined) {
      response.writeHead(failure ?? 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Not found' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' });
    response.end(JSON.stringify({ name, ...packument }));
  }
}
