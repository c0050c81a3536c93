import { describe, expect, it } from 'vitest';
import { entryOf } from './package-manifest.js';

describe('entryOf', () => {
  it.each([
    [{ exports: './a.js', module: './m.js' }, './a.js'],
    [{ exports: { '.': './a.js', './extra': './x.js' } }, './a.js'],
    [{ exports: { import: './esm.js', require: './cjs.js' } }, './esm.js'],
    [{ exports: { '.': { node: './node.js', default: './any.js' } } }, './any.js'],
    [{ exports: { '.': { import: { types: './t.d.ts', default: './esm.js' } } } }, './esm.js'],
    [{ exports: { '.': [{ require: './c.js' }, './fallback.js'] } }, './fallback.js'],
    [{ exports: { '.': { require: './c.js' } }, main: 'main.js' }, 'main.js'],
    [{ module: 'esm/index.js', main: 'cjs/index.js' }, 'esm/index.js'],
    [{ main: 'lib/plugin.js' }, 'lib/plugin.js'],
    [{}, 'index.js'],
  ])('finds the entry of %j', (manifest, entry) => {
    expect(entryOf(manifest)).toBe(entry);
  });
});
