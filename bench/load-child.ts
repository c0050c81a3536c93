import { spawn } from 'node:child_process';

/**
 * Runs a benchmark file again as its own load generator in another process, so the load never
 * shares an event loop with the server under test; resolves with the JSON it prints.
 *
 * @example
 * const result = await runLoadInChild<LoadResult>(import.meta.url, ['--load', base]);
 */
export function runLoadInChild<T>(benchFile: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, benchFile, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as T);
      else reject(new Error(`load generator exited with ${code}`));
    });
  });
}
