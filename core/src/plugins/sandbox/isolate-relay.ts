/**
 * The relay part of the isolate prelude (spliced into it, so it shares the prelude's closure:
 * `plugin`, `ctx`, `flawOf`, `messageOf`). It runs a plugin's `enrich` over a batch that
 * travels from isolate to isolate as an external copy; see `isolated-chain.ts`.
 */
export const ISOLATE_RELAY = String.raw`
// The relay: a batch passed from isolate to isolate through a chain of plugins as an external
// copy, so the host copies it in once and out once however many plugins run. The state holds
// the events in order, drops as [index, plugin, reason] and errors as [plugin, index, message].
// Each isolate hands on a freshly filled (packed) events array: V8 writes an array with holes,
// which is what a deserialised one is, element by element as a sparse array, at ~20% more cost.
// The incoming batch is plain data (a fresh copy), so only what the plugin changed is checked:
// top-level fields and enrichment keys whose value is no longer the one it received. A non-JSON
// value hidden by an in-place change still cannot reach the log: the host checks the result.
function changedFlaw(result, top, enrichment) {
  const prototype = getPrototypeOf(result);
  if (prototype !== OBJECT_PROTOTYPE && prototype !== null) {
    return { what: 'a ' + (prototype.constructor?.name ?? 'non-plain object'), path: [] };
  }
  const names = keys(result);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const value = result[name];
    if (name === 'enrichment' && enrichment !== undefined && value !== null && typeof value === 'object'
      && !isArray(value) && getPrototypeOf(value) === OBJECT_PROTOTYPE) {
      const added = keys(value);
      for (let j = 0; j < added.length; j++) {
        if (value[added[j]] === enrichment[added[j]]) continue;
        const flaw = flawOf(value[added[j]], 2);
        if (flaw !== undefined) { flaw.path.unshift('enrichment', added[j]); return flaw; }
      }
      continue;
    }
    if (value === top[name]) continue;
    const flaw = flawOf(value, 1);
    if (flaw !== undefined) { flaw.path.unshift(name); return flaw; }
  }
  return undefined;
}
function relayOne(state, out, i, result, top, enrichment) {
  try {
    if (result === null || typeof result !== 'object' || isArray(result)) {
      state.errors.push([plugin.name, i, 'enrich returned ' + (result === null ? 'null' : isArray(result) ? 'an array' : typeof result) + ', not an event']);
      return;
    }
    if ('drop' in result) { state.drops.push([i, plugin.name, String(result.drop)]); return; }
    const flaw = changedFlaw(result, top, enrichment);
    if (flaw === undefined) { out[i] = result; return; }
    const at = flaw.path.length > 8 ? flaw.path.slice(0, 8).join('.') + '…' : flaw.path.join('.') || 'the top';
    state.errors.push([plugin.name, i, 'enrich returned ' + flaw.what + ' at ' + at + '; events are JSON (dates as ISO strings)']);
  } catch (error) {
    state.errors.push([plugin.name, i, messageOf(error)]);
  }
}
function relay(state) {
  const events = state.events;
  const drops = state.drops;
  const out = [];
  let dropped;
  if (drops.length > 0) {
    dropped = { __proto__: null };
    for (let d = 0; d < drops.length; d++) dropped[drops[d][0]] = true;
  }
  let pending;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    // Filled in order, so the array stays packed; a result replaces its event in place.
    out[i] = event;
    if (dropped !== undefined && dropped[i] === true) continue;
    // What the plugin received, one level deep, to tell its changes from what it passed on.
    const top = { ...event };
    const enrichment = event.enrichment !== null && typeof event.enrichment === 'object' ? { ...event.enrichment } : undefined;
    try {
      const result = plugin.enrich(event, ctx);
      if (isThenable(result)) {
        (pending ??= []).push(Promise.resolve(result).then(
          (value) => relayOne(state, out, i, value, top, enrichment),
          (error) => { state.errors.push([plugin.name, i, messageOf(error)]); },
        ));
      } else {
        relayOne(state, out, i, result, top, enrichment);
      }
    } catch (error) {
      state.errors.push([plugin.name, i, messageOf(error)]);
    }
  }
  state.events = out;
  return pending === undefined ? state : Promise.all(pending).then(() => state);
}

`;
