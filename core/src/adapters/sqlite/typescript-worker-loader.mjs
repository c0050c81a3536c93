// Starts a TypeScript worker when USPA runs from its sources (tests, benchmarks, tsx): the built
// package starts the compiled .js worker directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
