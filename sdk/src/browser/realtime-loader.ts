import type { RealtimeHooks, RealtimeModule } from './realtime/realtime-contract.js';

/**
 * Loads `uspa-realtime.js` (socket.io client, DOMPurify, slot rendering) only when a page needs
 * personalisation, so the tracker itself stays small. Both the IIFE and the ESM bundle import the
 * same module file from the USPA host; a page on another origin needs that file served with CORS.
 *
 * @example
 * const controller = await startRealtimeFrom('https://cdp.example/sdk/uspa-realtime.js', hooks);
 */
export async function startRealtimeFrom(url: string, hooks: RealtimeHooks) {
  const module = (await import(/* @vite-ignore */ url)) as RealtimeModule;
  return module.startRealtime(hooks);
}
