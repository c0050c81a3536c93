import { build, type BuildFailure, type Message } from 'esbuild';
import { invalidPackage, packageTooLarge, usesNodeBuiltin } from './package-errors.js';
import { PLUGIN_GLOBAL } from './plugin-source.js';
import { pluginImports } from './plugin-imports.js';

/** The IIFE's own global; the footer copies its default export to {@link PLUGIN_GLOBAL}. */
const MODULE_GLOBAL = '__uspaPluginModule';

export interface BundleOptions {
  /** Directory of the plugin's `package.json`. */
  root: string;
  /** Absolute path of the entry module. */
  entry: string;
  /** Refuse imports that resolve outside `root` (tarball, npm): see {@link pluginImports}. */
  confined: boolean;
  /** Largest bundle, in bytes. */
  maxBytes: number;
}

/**
 * Bundles a plugin into one classic script for the sandbox: no imports left, no Node APIs, and
 * running it sets `globalThis.__uspaPlugin` to the plugin's definition (ESM default export, or a
 * CommonJS `module.exports`).
 *
 * @example
 * const code = await bundlePlugin({ root, entry: `${root}/dist/index.js`, confined: true, maxBytes });
 */
export async function bundlePlugin(options: BundleOptions): Promise<string> {
  const imports = pluginImports(options.confined ? { confineTo: options.root } : {});
  let text: string;
  try {
    const result = await build({
      absWorkingDir: options.root,
      entryPoints: [options.entry],
      bundle: true,
      format: 'iife',
      globalName: MODULE_GLOBAL,
      // Neither browser nor Node: the isolate has only the language and what the host lends.
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      define: { 'process.env.NODE_ENV': '"production"' },
      footer: {
        js: `globalThis.${PLUGIN_GLOBAL} = ${MODULE_GLOBAL}.default ?? ${MODULE_GLOBAL};`,
      },
      plugins: [imports.plugin],
      charset: 'utf8',
      write: false,
      logLevel: 'silent',
    });
    text = result.outputFiles[0]?.text ?? '';
  } catch (error) {
    if (imports.refusedBuiltins.size > 0) throw usesNodeBuiltin([...imports.refusedBuiltins]);
    if (!isBuildFailure(error)) throw error;
    throw invalidPackage(`The plugin does not bundle: ${describe(error.errors)}`, {
      errors: error.errors.slice(0, 10).map(describeOne),
    });
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > options.maxBytes) {
    throw packageTooLarge(
      `The bundled plugin is ${bytes} bytes, more than the limit of ${options.maxBytes}`,
      options.maxBytes,
    );
  }
  return text;
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

function describe(errors: readonly Message[]): string {
  const shown = errors.slice(0, 3).map(describeOne).join('; ');
  return errors.length > 3 ? `${shown}; and ${errors.length - 3} more` : shown;
}

function describeOne(error: Message): string {
  const where = error.location ? `${error.location.file}:${error.location.line}: ` : '';
  return `${where}${error.text}`;
}
