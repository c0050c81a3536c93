import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const core = new URL('../../', import.meta.url);
const read = (path: string, base = core): string => readFileSync(new URL(path, base), 'utf8');

describe('the uspa command', () => {
  const { bin } = JSON.parse(read('package.json')) as { bin: Record<string, string> };
  const launcher = bin.uspa!;

  // npm links a workspace's command only if its file exists when installing: a file built later
  // (dist/) is never linked, and `npx uspa` would not be found in a fresh checkout.
  it('is a file of the repository, executable, so that `npm ci` links it', () => {
    expect(launcher).not.toMatch(/dist\//);
    const file = fileURLToPath(new URL(launcher, core));
    expect(() => accessSync(file, constants.X_OK)).not.toThrow();
    expect(read(launcher)).toContain("import('../dist/cli/main.js')");
  });

  it('runs node with the flags `npm start` gives the server', () => {
    const shebang = read(launcher).split('\n')[0]!;
    const flags = (text: string) => text.match(/--[a-z-]+(=\d+)?/g)?.sort();
    const { scripts } = JSON.parse(read('package.json', new URL('../', core))) as {
      scripts: Record<string, string>;
    };
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S node /);
    expect(flags(shebang)).toEqual(flags(scripts.start!.split('&&')[1]!));
    expect(flags(shebang)).toContain('--max-semi-space-size=64');
  });
});
