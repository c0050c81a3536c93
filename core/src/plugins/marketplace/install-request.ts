import { ValidationError } from '../../errors/index.js';

/** Where an operator asks to install (or change the version of) a plugin from. */
export type InstallRequest =
  | { source: 'builtin'; name: string }
  | { source: 'catalog'; name: string }
  | { source: 'folder'; path: string }
  | { source: 'npm'; spec: string }
  | { source: 'tarball'; bytes: Buffer };

/** Reads the JSON body of an install request; tarballs come as a request body of their own. */
export function installRequestOf(body: unknown): InstallRequest {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (field: string): string => {
    const value = input[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ValidationError(`${field} is required for source ${String(input.source)}`);
    }
    return value.trim();
  };
  switch (input.source) {
    case 'builtin':
    case 'catalog':
      return { source: input.source, name: text('name') };
    case 'folder':
      return { source: 'folder', path: text('path') };
    case 'npm':
      return { source: 'npm', spec: text('spec') };
    default:
      throw new ValidationError(
        'source must be builtin, catalog, folder or npm (upload a .tgz to /v1/admin/plugins/upload)',
      );
  }
}
