/**
 * The entry of `uspa.js`, loaded with a script tag. It replaces the snippet's `window.uspa`
 * array with the tracker and replays the calls the page made before the script arrived:
 *
 * ```html
 * <script>
 *   window.uspa = window.uspa || [];
 *   ['load', 'page', 'track', 'identify', 'group', 'alias', 'reset', 'consent', 'on'].forEach(
 *     (m) => (uspa[m] = uspa[m] || ((...a) => uspa.push([m, ...a]))),
 *   );
 *   uspa.load('uspa_wk_…', { host: 'https://cdp.example.com' });
 *   uspa.page();
 * </script>
 * <script async src="https://cdp.example.com/sdk/uspa.js"></script>
 * ```
 */
import { UspaTracker } from './tracker.js';

const page = window as unknown as { uspa?: unknown };
// A second copy of the script keeps the first tracker.
if (page.uspa === undefined || Array.isArray(page.uspa)) {
  const snippet: unknown = page.uspa;
  const tracker = new UspaTracker();
  page.uspa = tracker;
  if (Array.isArray(snippet)) {
    for (const call of snippet as unknown[]) if (Array.isArray(call)) tracker.push(call);
  }
}
