/** A field-by-field difference between two states of the same thing: dotted paths, leaves only. */
export type FieldChange = Readonly<{ field: string; from: unknown; to: unknown }>;

/** Maps and Sets in decider states become plain JSON (objects and arrays) for auditors. */
export const toPlain = (value: unknown): unknown => {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  if (value instanceof Set) return [...value].map(toPlain);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  return value;
};

const flatten = (value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> => {
  if (value && typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, value === undefined ? null : value);
  return out;
};

/** Every leaf that differs, in path order; a leaf only on one side shows `null` on the other. */
export const diffStates = (before: unknown, after: unknown): FieldChange[] => {
  const a = flatten(toPlain(before), '', new Map());
  const b = flatten(toPlain(after), '', new Map());
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changed = fields.filter((f) => JSON.stringify(a.get(f) ?? null) !== JSON.stringify(b.get(f) ?? null));
  // An empty list that gained items shows as its items ('deliveries.0.billOfLading'), not also as itself.
  const isEmpty = (v: unknown) => v !== null && typeof v === 'object' && Object.keys(v as object).length === 0;
  return changed
    .filter((f) => !((isEmpty(a.get(f)) || isEmpty(b.get(f))) && changed.some((g) => g.startsWith(`${f}.`))))
    .map((field) => ({ field, from: a.get(field) ?? null, to: b.get(field) ?? null }));
};
