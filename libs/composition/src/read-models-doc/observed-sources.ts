import type { AnyProjection, RecordedEvent } from '@salesline/core';
import type { DocumentField } from './document-fields';

type Values = Map<string, string>;

/** A document as path → value (lists as `path[]` holding every item's value), paths as documentFields spells them. */
const valuesOf = (value: unknown, path: string, out: Values): Values => {
  if (Array.isArray(value)) {
    out.set(path, JSON.stringify(value));
    for (const item of value) valuesOf(item, `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    if (path) out.set(path, JSON.stringify(value));
    for (const [k, v] of Object.entries(value)) valuesOf(v, path ? `${path}.${k}` : k, out);
  } else if (!out.has(path)) out.set(path, JSON.stringify(value));
  else out.set(path, `${out.get(path)}|${JSON.stringify(value)}`);
  return out;
};

/** The documented field a written path belongs to (a map's keys belong to the map). */
const fieldOf = (path: string, known: ReadonlySet<string>): string | null => {
  let p = path;
  while (p && !known.has(p)) {
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('[]'));
    if (cut <= 0) return null;
    p = p.slice(0, cut);
  }
  return p || null;
};

/**
 * Which event types set or change each field of each read model, as seen by folding a log through
 * the projections' own evolve functions: `collection → field → event types`. A field set when a
 * document is created counts its creating event; a later event counts where it changes the value.
 */
export const observedSources = (
  projections: readonly AnyProjection[],
  fields: Readonly<Record<string, readonly DocumentField[]>>,
  log: readonly RecordedEvent[],
): Record<string, Record<string, Set<string>>> => {
  const out: Record<string, Record<string, Set<string>>> = {};
  for (const projection of projections) {
    const known = new Set((fields[projection.collection] ?? []).map((f) => f.path));
    const seen: Record<string, Set<string>> = (out[projection.collection] = {});
    const handles = new Set(projection.handles);
    const docs = new Map<string, { id: string } | null>();
    for (const event of log) {
      if (!projection.handlesAllEvents && !handles.has(event.type)) continue;
      for (const id of projection.documentIds(event)) {
        const before = docs.get(id) ?? null;
        const was = before ? valuesOf(before, '', new Map()) : new Map<string, string>();
        const after = projection.evolve(before, event, id, (other) => docs.get(other) ?? null);
        docs.set(id, after);
        if (!after) continue;
        for (const [path, value] of valuesOf(after, '', new Map())) {
          if (was.get(path) === value) continue;
          const field = fieldOf(path, known);
          if (field) (seen[field] ??= new Set()).add(event.type);
        }
      }
    }
  }
  return out;
};
