import { UspaTracker } from './tracker.js';

export { UspaTracker } from './tracker.js';
export type { ConsentState, LoadOptions } from './load-options.js';
export type { UspaEvents } from './personalization.js';
export type { ContentBySlot } from './realtime/realtime-contract.js';
export type { SlotContentEvent } from './realtime/slot-renderer.js';
export type { SlotContent } from '../realtime/personalize-protocol.js';

/**
 * The tracker of this page, for sites that bundle the SDK as a module (`uspa.esm.js`). Nothing
 * touches the page, cookies or storage before `load`.
 *
 * @example
 * import { uspa } from './uspa.esm.js';
 * uspa.load('uspa_wk_…', { host: 'https://cdp.example.com' });
 * uspa.page();
 */
export const uspa = new UspaTracker();
