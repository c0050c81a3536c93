/**
 * The declared-fields part of the isolate prelude (spliced into it, so it shares the prelude's
 * closure: `plugin`, `ctx`, `flawOf`, `failed`, `messageOf`). It runs `enrich` over narrowed
 * events (see `eventFields` in the SDK, whose rules it applies), built from the columns of the
 * plugin's paths, and answers only what changed.
 */
export const ISOLATE_FIELDS = String.raw`
// Narrowed events are built here from columns (see field-columns.ts): per declared path, one
// JSON string with every event's value, shared by the plugins that read that path. Each answer
// is [3, enrichment|null, changes] (changes: [i, value] sets field i, [i] removes it),
// [1, dropReason] or [2, errorMessage], all as one JSON string: small objects cost less as JSON
// than through V8's serializer, and a field the plugin passed on unchanged does not cross back.
function enrichFields(columns, paths, count) {
  const parts = new Array(count);
  // What the plugin received, field by field: it may change the part in place.
  const befores = new Array(count);
  for (let i = 0; i < count; i++) { parts[i] = {}; befores[i] = new Array(paths.length); }
  for (let j = 0; j < paths.length; j++) {
    const column = parse(columns[j]);
    const values = column[0];
    const absent = column[1];
    const path = paths[j];
    let a = 0;
    for (let i = 0; i < count; i++) {
      if (a < absent.length && absent[a] === i) {
        objectsTo(parts[i], path, absent[a + 1]);
        a += 2;
      } else {
        objectsTo(parts[i], path, path.length - 1)[path[path.length - 1]] = values[i];
        befores[i][j] = values[i];
      }
    }
  }
  const tops = { __proto__: null, enrichment: true };
  for (let j = 0; j < paths.length; j++) tops[paths[j][0]] = true;
  const outcomes = new Array(count);
  let pending;
  for (let i = 0; i < count; i++) {
    const before = befores[i];
    try {
      const result = plugin.enrich(parts[i], ctx);
      if (isThenable(result)) {
        (pending ??= []).push(Promise.resolve(result).then(
          (value) => { outcomes[i] = fieldOutcome(value, before, paths, tops); },
          (error) => { outcomes[i] = failed(error); },
        ));
      } else {
        outcomes[i] = fieldOutcome(result, before, paths, tops);
      }
    } catch (error) {
      outcomes[i] = failed(error);
    }
  }
  return pending === undefined ? answerJson(outcomes) : Promise.all(pending).then(() => answerJson(outcomes));
}
// The first 'depth' objects of 'path' in a narrowed event, made as narrowing makes them.
function objectsTo(part, path, depth) {
  let target = part;
  for (let k = 0; k < depth; k++) {
    const existing = target[path[k]];
    target = existing !== null && typeof existing === 'object' && !isArray(existing) ? existing : (target[path[k]] = {});
  }
  return target;
}
function valueAt(value, path) {
  for (let k = 0; k < path.length; k++) {
    if (value === null || typeof value !== 'object' || isArray(value) || !hasOwn(value, path[k])) return undefined;
    value = value[path[k]];
  }
  return value;
}
function flawed(flaw, prefix) {
  const path = prefix.concat(flaw.path);
  const at = path.length > 8 ? path.slice(0, 8).join('.') + '…' : path.join('.');
  return [2, 'enrich returned ' + flaw.what + ' at ' + at + '; events are JSON (dates as ISO strings)'];
}
function fieldOutcome(result, before, paths, tops) {
  try {
    if (result === null || typeof result !== 'object' || isArray(result)) {
      return [2, 'enrich returned ' + (result === null ? 'null' : isArray(result) ? 'an array' : typeof result) + ', not an event'];
    }
    if ('drop' in result) return [1, String(result.drop)];
    const names = keys(result);
    for (let k = 0; k < names.length; k++) {
      if (tops[names[k]] !== true) return [2, 'enrich changed "' + names[k] + '", which its permissions.fields do not name'];
    }
    const changes = [];
    for (let j = 0; j < paths.length; j++) {
      const after = valueAt(result, paths[j]);
      const was = before[j];
      // An object may have been changed in place: only a primitive left as it was is skipped.
      if (after === was && (was === null || typeof was !== 'object')) continue;
      if (after === undefined) { changes.push([j]); continue; }
      const flaw = flawOf(after, paths[j].length);
      if (flaw !== undefined) return flawed(flaw, paths[j]);
      changes.push([j, after]);
    }
    const enrichment = result.enrichment;
    if (enrichment === undefined || enrichment === null) return [3, null, changes];
    if (typeof enrichment !== 'object' || isArray(enrichment)) return [2, 'enrich returned an enrichment that is not an object'];
    if (hasOwn(enrichment, '__proto__')) return [2, 'enrich returned an enrichment key named __proto__'];
    const flaw = flawOf(enrichment, 1);
    if (flaw !== undefined) return flawed(flaw, ['enrichment']);
    return [3, enrichment, changes];
  } catch (error) {
    return failed(error);
  }
}
function answerJson(outcomes) {
  try {
    return stringify(outcomes);
  } catch {
    // Checked outcomes are JSON data, but a getter may still throw: that costs its event only.
    for (let i = 0; i < outcomes.length; i++) {
      try { stringify(outcomes[i]); } catch (error) { outcomes[i] = failed(error); }
    }
    return stringify(outcomes);
  }
}
`;
