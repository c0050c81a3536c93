import { setFlagsFromString } from 'node:v8';

let synchronous = false;

/**
 * Makes the isolates created from now on optimise their hot code synchronously, on their own
 * thread. With V8's default, concurrent recompilation, an isolated-vm isolate queues its hot
 * functions for the optimising compiler, but most never get the result installed: of four plugin
 * isolates under load, only one ran optimised code (`--trace-opt`), the others stayed on the
 * baseline tier. Compiling synchronously costs the isolate a few milliseconds once per hot
 * function; in `bench:ingest` it cut the server's CPU per event with four isolated plugins by
 * about 6%.
 *
 * V8 reads the flag when an isolate is created, so the process's own isolate, created before,
 * keeps compiling in the background and its event loop never waits on the compiler. Worker
 * threads started later compile synchronously too; USPA's own (the event log writer, started
 * with the store) mostly runs SQLite's native code.
 *
 * @example
 * compileIsolatesSynchronously();
 * const isolate = new ivm.Isolate({ memoryLimit: 64 });
 */
export function compileIsolatesSynchronously(): void {
  if (synchronous) return;
  synchronous = true;
  setFlagsFromString('--no-concurrent-recompilation');
}
