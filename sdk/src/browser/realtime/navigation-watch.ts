/**
 * Calls `onNavigate` with the new URL whenever a single-page app changes it: `history.pushState`,
 * `history.replaceState` (when the URL changes) and back/forward (`popstate`). Returns the
 * function that stops watching and restores `history`.
 *
 * @example
 * const stop = watchNavigation((url) => socket.emit('page', { url }));
 */
export function watchNavigation(onNavigate: (url: string) => void): () => void {
  let last = location.href;
  const check = () => {
    if (location.href === last) return;
    last = location.href;
    onNavigate(last);
  };
  // Kept to call them with apply(history, …) and to restore them.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { pushState, replaceState } = history;
  history.pushState = function (...args: Parameters<History['pushState']>) {
    pushState.apply(this, args);
    check();
  };
  history.replaceState = function (...args: Parameters<History['replaceState']>) {
    replaceState.apply(this, args);
    check();
  };
  addEventListener('popstate', check);
  return () => {
    history.pushState = pushState;
    history.replaceState = replaceState;
    removeEventListener('popstate', check);
  };
}
