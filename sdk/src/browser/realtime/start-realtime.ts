import { io } from 'socket.io-client';
import {
  PERSONALIZE_EVENTS,
  PERSONALIZE_NAMESPACE,
  type PageChange,
  type PersonalizationChange,
  type PersonalizationSnapshot,
  type PersonalizeRefusal,
} from '../../realtime/personalize-protocol.js';
import { watchNavigation } from './navigation-watch.js';
import type { ContentBySlot, RealtimeController, RealtimeHooks } from './realtime-contract.js';
import { fillSlot, renderSlots } from './slot-renderer.js';

/**
 * The realtime client, the entry of `uspa-realtime.js`: connects to the gateway's
 * `/personalize` namespace, keeps the visitor's segments and slot content up to date from
 * `snapshot` and `changed`, fills `[data-uspa-slot]` elements (also ones added to the page
 * later), and tells the gateway about single-page navigation.
 *
 * @example
 * const { startRealtime } = await import('https://cdp.example/sdk/uspa-realtime.js');
 * const realtime = startRealtime({ host, auth, onContent, onSegments });
 * realtime.reconnect(); // after identify with a user hash
 */
export function startRealtime(hooks: RealtimeHooks): RealtimeController {
  let content: ContentBySlot = {};
  let segments: string[] = [];
  let handshakeUrl: string | undefined;
  const socket = io(`${hooks.host}${PERSONALIZE_NAMESPACE}`, {
    auth: (send) => {
      const auth = hooks.auth();
      handshakeUrl = auth.url;
      send({ ...auth });
    },
  });
  const sendPage = (url: string) => {
    const page: PageChange = { url };
    socket.emit(PERSONALIZE_EVENTS.page, page);
  };
  // A navigation between the handshake and its answer would otherwise go unnoticed.
  socket.on('connect', () => {
    if (handshakeUrl !== location.href) sendPage(location.href);
  });

  const publish = (changedSegments: boolean) => {
    if (changedSegments) hooks.onSegments(segments);
    hooks.onContent(content);
    renderSlots(document, content);
  };
  socket.on(PERSONALIZE_EVENTS.snapshot, (snapshot: PersonalizationSnapshot) => {
    segments = snapshot.segments;
    content = { ...snapshot.content };
    publish(true);
  });
  socket.on(PERSONALIZE_EVENTS.changed, (change: PersonalizationChange) => {
    if (change.segments) segments = change.segments;
    if (change.content) content = { ...content, ...change.content };
    publish(change.segments !== undefined);
  });
  socket.on('connect_error', (error: Error & { data?: PersonalizeRefusal }) => {
    // A refusal (bad write key, bad user hash) is not retried by socket.io; network errors are.
    if (error.data?.code) console.warn(`uspa: personalisation refused (${error.data.code})`);
  });

  const stopWatching = watchNavigation((url) => {
    // While disconnected, the next handshake carries the new URL.
    if (socket.connected) sendPage(url);
  });
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        if (node.dataset.uspaSlot !== undefined) {
          fillSlot(node, content[node.dataset.uspaSlot] ?? null);
        }
        renderSlots(node, content);
      }
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });

  return {
    reconnect() {
      socket.disconnect().connect();
    },
    close() {
      socket.disconnect();
      stopWatching();
      observer.disconnect();
    },
  };
}
