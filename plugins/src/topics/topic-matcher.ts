import { LRUCache } from 'lru-cache';

/** Finds a taxonomy's topics in text, counting keyword hits per topic. */
export interface TopicMatcher {
  /** Adds one to `hits` for every keyword occurrence in `text`. */
  count(text: string, hits: Map<string, number>): void;
}

interface Phrase {
  /** Words after the first. */
  rest: string[];
  topic: string;
}

/** Lower-case words: letters and digits, split on everything else (`T-LIGHT` → `t`, `light`). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** `bag` → bags, `box` → boxes, `doily` → doilies. Irregular plurals go in the taxonomy itself. */
function pluralForms(word: string): string[] {
  const forms = [word, `${word}s`];
  if (/(?:s|x|z|ch|sh)$/.test(word)) forms.push(`${word}es`);
  if (/[^aeiou]y$/.test(word)) forms.push(`${word.slice(0, -1)}ies`);
  return forms;
}

/**
 * Compiles `{ topic: keywords[] }` into a matcher that looks each word of the text up once, so
 * its cost grows with the text, not with the taxonomy.
 *
 * @example
 * const matcher = compileTaxonomy({ bags: ['bag'], kitchen: ['cake tin'] });
 * const hits = new Map<string, number>();
 * matcher.count('SET OF 3 CAKE TINS', hits); // hits: Map { 'kitchen' => 1 }
 */
export function compileTaxonomy(
  taxonomy: Readonly<Record<string, readonly string[]>>,
): TopicMatcher {
  const byFirstWord = new Map<string, Phrase[]>();
  for (const [topic, keywords] of Object.entries(taxonomy)) {
    for (const keyword of keywords) {
      const keywordWords = words(keyword);
      const last = keywordWords.pop();
      if (last === undefined) continue;
      for (const form of pluralForms(last)) {
        const [first = form, ...rest] = [...keywordWords, form];
        const phrases = byFirstWord.get(first) ?? [];
        phrases.push({ rest, topic });
        byFirstWord.set(first, phrases);
      }
    }
  }
  // Page titles, paths and product names repeat across events: their hits are remembered.
  const known = new LRUCache<string, readonly (readonly [string, number])[]>({ max: 20_000 });
  const countInto = (text: string, hits: Map<string, number>): void => {
    const textWords = words(text);
    textWords.forEach((word, index) => {
      const phrases = byFirstWord.get(word);
      if (!phrases) return;
      // One hit per topic per position: `cake tin` and `tin` at the same place count once.
      const found = new Set<string>();
      for (const { rest, topic } of phrases) {
        if (rest.every((next, offset) => textWords[index + 1 + offset] === next)) found.add(topic);
      }
      for (const topic of found) hits.set(topic, (hits.get(topic) ?? 0) + 1);
    });
  };
  return {
    count(text, hits) {
      let counted = known.get(text);
      if (counted === undefined) {
        const own = new Map<string, number>();
        countInto(text, own);
        counted = [...own];
        known.set(text, counted);
      }
      for (const [topic, n] of counted) hits.set(topic, (hits.get(topic) ?? 0) + n);
    },
  };
}
