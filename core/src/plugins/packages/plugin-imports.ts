import { builtinModules } from 'node:module';
import { isAbsolute, relative } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * How a plugin's imports resolve when it is bundled.
 *
 * - `@uspa/sdk/plugin` becomes a one-line module where `definePlugin` returns its argument. That is
 *   all the SDK's plugin entry does at run time (the rest is types), and it keeps host code and
 *   the host's SDK version out of the bundle: a tarball that lists the SDK as a devDependency,
 *   and so ships without it, bundles the same as a folder that has it installed.
 * - Node built-ins (`fs`, `node:net`, …) are refused: the isolate has no Node APIs. A bare name
 *   that an installed npm package provides (`events`, `buffer`) is that package, a polyfill.
 * - With `confineTo`, every import must resolve inside that directory. Tarball and npm plugins
 *   are extracted alone, so their dependencies must be bundled into their code already, or
 *   shipped in the tarball as `bundledDependencies`; nothing may come from the server's disk.
 *   A folder plugin resolves from its own `node_modules` (and the folders above, as Node does).
 */
export interface PluginImports {
  plugin: Plugin;
  /** The built-in modules the code tried to import, as written. */
  refusedBuiltins: Set<string>;
}

const SDK_PLUGIN = '@uspa/sdk/plugin';
const SDK_NAMESPACE = 'uspa-sdk-plugin';
const SDK_SHIM = 'export function definePlugin(definition) { return definition; }\n';
/** Marks our own nested `build.resolve`, so the callback lets esbuild resolve as usual. */
const DEFAULT_RESOLUTION = Symbol('default resolution');
const builtins = new Set(builtinModules);

export function pluginImports(options: { confineTo?: string }): PluginImports {
  const refusedBuiltins = new Set<string>();
  const plugin: Plugin = {
    name: 'uspa-plugin-imports',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: SDK_NAMESPACE }, () => ({
        contents: SDK_SHIM,
        loader: 'js',
      }));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === DEFAULT_RESOLUTION) return undefined;
        if (args.path === SDK_PLUGIN) return { path: SDK_PLUGIN, namespace: SDK_NAMESPACE };
        const builtin = isNodeBuiltin(args.path);
        const resolved = args.path.startsWith('node:')
          ? undefined
          : await build.resolve(args.path, {
              kind: args.kind,
              importer: args.importer,
              resolveDir: args.resolveDir,
              pluginData: DEFAULT_RESOLUTION,
            });
        if (builtin && (resolved === undefined || resolved.errors.length > 0)) {
          refusedBuiltins.add(args.path);
          return { errors: [{ text: `Node built-in module "${args.path}" is not available` }] };
        }
        if (resolved === undefined) return undefined;
        if (resolved.errors.length > 0) {
          const hint = options.confineTo === undefined ? '' : BUNDLE_HINT;
          return {
            errors: resolved.errors.map((error) => ({ ...error, text: error.text + hint })),
          };
        }
        if (options.confineTo !== undefined && !inside(options.confineTo, resolved.path)) {
          return {
            errors: [{ text: `"${args.path}" resolves outside the package${BUNDLE_HINT}` }],
          };
        }
        const { path, external, sideEffects, namespace, suffix, warnings } = resolved;
        const pluginData = resolved.pluginData as unknown;
        return { path, external, sideEffects, namespace, suffix, pluginData, warnings };
      });
    },
  };
  return { plugin, refusedBuiltins };
}

const BUNDLE_HINT =
  ' (a tarball or npm plugin must bundle its dependencies or ship them as bundledDependencies)';

export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier);
}

function inside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return !fromRoot.startsWith('..') && !isAbsolute(fromRoot);
}
