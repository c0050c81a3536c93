import DOMPurify from 'dompurify';
import type { SlotContent } from '../../realtime/personalize-protocol.js';
import type { ContentBySlot } from './realtime-contract.js';

/**
 * The detail of the `uspa:content` DOM event dispatched on a slot element.
 *
 * @example
 * slot.addEventListener('uspa:content', (event) => {
 *   const { content } = (event as CustomEvent<SlotContentEvent>).detail;
 * });
 */
export interface SlotContentEvent {
  slot: string;
  content: SlotContent | null;
}

const defaults = new WeakMap<Element, string>();
const shown = new WeakMap<Element, SlotContent | null>();

/**
 * Fills every `[data-uspa-slot]` element under `root` from `content`. Slots without content
 * show their own markup again (the default hero, say).
 *
 * @example
 * renderSlots(document, { hero: { ruleId: 'r1', slot: 'hero', content: { title: 'Welcome back' } } });
 */
export function renderSlots(root: ParentNode, content: ContentBySlot): void {
  const slots = root.querySelectorAll<HTMLElement>('[data-uspa-slot]');
  for (const element of slots) fillSlot(element, content[element.dataset.uspaSlot ?? ''] ?? null);
}

/**
 * Shows a slot's content in its element. First it dispatches a cancelable, bubbling
 * `uspa:content` event whose `detail` is a {@link SlotContentEvent}; a listener that calls
 * `preventDefault()`, or a `data-uspa-template` attribute on the element, keeps the element as
 * it is so the page renders the content itself. Otherwise:
 *
 * - `content.html`: the HTML, sanitised with DOMPurify (no scripts, no event handlers);
 * - else, in a `<div class="uspa-content">`: `image` as `<img class="uspa-image">` (alt:
 *   `imageAlt` or `title`), `title` as `<h2 class="uspa-title">`, `body` as
 *   `<p class="uspa-body">`, `link` as `<a class="uspa-link">` labelled `linkText` (default
 *   "Learn more"). Text is set as text, never parsed; `image` and `link` must be http(s) URLs.
 *
 * The element gets `data-uspa-rule` with the id of the rule that filled it.
 *
 * @example
 * document.querySelector('[data-uspa-slot="hero"]')
 *   ?.addEventListener('uspa:content', (event) => myRender(event.detail));
 */
export function fillSlot(element: HTMLElement, value: SlotContent | null): void {
  // Only changes are dispatched and rendered; a slot never filled starts as "no content".
  if ((shown.get(element) ?? null) === value) return;
  shown.set(element, value);
  const detail: SlotContentEvent = { slot: element.dataset.uspaSlot ?? '', content: value };
  const event = new CustomEvent('uspa:content', { bubbles: true, cancelable: true, detail });
  if (!element.dispatchEvent(event) || element.hasAttribute('data-uspa-template')) return;
  if (!defaults.has(element)) defaults.set(element, element.innerHTML);
  if (value === null) {
    element.innerHTML = defaults.get(element) ?? '';
    element.removeAttribute('data-uspa-rule');
    return;
  }
  element.replaceChildren(renderContent(value.content));
  element.setAttribute('data-uspa-rule', value.ruleId);
}

function renderContent(content: Record<string, unknown>): Node {
  const box = document.createElement('div');
  box.className = 'uspa-content';
  if (typeof content.html === 'string') {
    box.append(DOMPurify.sanitize(content.html, { RETURN_DOM_FRAGMENT: true }));
    return box;
  }
  const title = text(content.title);
  const image = safeUrl(content.image);
  if (image) {
    const img = append(box, 'img', 'uspa-image');
    img.src = image;
    img.alt = text(content.imageAlt) ?? title ?? '';
  }
  if (title) append(box, 'h2', 'uspa-title').textContent = title;
  const body = text(content.body);
  if (body) append(box, 'p', 'uspa-body').textContent = body;
  const link = safeUrl(content.link);
  if (link) {
    const anchor = append(box, 'a', 'uspa-link');
    anchor.href = link;
    anchor.textContent = text(content.linkText) ?? 'Learn more';
  }
  return box;
}

function append<K extends keyof HTMLElementTagNameMap>(
  parent: Element,
  tag: K,
  className: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  parent.append(element);
  return element;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Only http(s) URLs: a `javascript:` link in a content rule must not become a script. */
function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
