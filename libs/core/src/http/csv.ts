import { stringify } from 'csv-stringify/sync';

/** Does the client ask for CSV (`Accept: text/csv`)? */
export const wantsCsv = (accept: string | undefined): boolean => typeof accept === 'string' && accept.toLowerCase().includes('text/csv');

export type CsvValue = string | number | boolean | null | undefined;
export type CsvColumns<Row, Meta> = readonly (readonly [string, (row: Row, meta: Meta) => CsvValue])[];

/** RFC 4180 CSV with CRLF line ends: a header row, then one row per record; empty for null. One writer for every report. */
export const csvOf = <Row, Meta>(columns: CsvColumns<Row, Meta>, rows: readonly Row[], meta: Meta): string =>
  stringify([columns.map(([name]) => name), ...rows.map((r) => columns.map(([, get]) => get(r, meta) ?? null))], {
    record_delimiter: '\r\n',
    cast: { boolean: (v) => String(v) },
  });

/** Context columns a list or report names in each row when its answer has them: what basis and which period the figures are on. */
const CONTEXT_FIELDS = ['period', 'asOf', 'basis', 'revenueBasis', 'level', 'from', 'to'] as const;

const flatten = (value: unknown, prefix: string, out: Record<string, CsvValue>): Record<string, CsvValue> => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value)) out[prefix] = JSON.stringify(value);
  else out[prefix] = value as CsvValue;
  return out;
};

/** Where a list answer keeps its records: a page of a read model, a report's rows, a timeline, a log page, a policy's versions. */
export const LIST_FIELDS = ['items', 'rows', 'entries', 'events', 'versions'] as const;

/**
 * A list answer as CSV: the records of `items`, `rows`, `entries`, `events` or `versions`, flattened to dotted columns
 * (nested lists as JSON), each row led by the answer's basis and period fields when it has them.
 * Returns null for an answer that is not a list.
 */
export const listAsCsv = (body: unknown): string | null => {
  if (body === null || typeof body !== 'object') return null;
  const answer = body as Record<string, unknown>;
  const records = Array.isArray(body) ? body : (LIST_FIELDS.map((k) => answer[k]).find(Array.isArray) as unknown[] | undefined);
  if (!records) return null;
  const context = Array.isArray(body)
    ? {}
    : Object.fromEntries(
        CONTEXT_FIELDS.filter((f) => answer[f] !== undefined && typeof answer[f] !== 'object').map((f) => [f, answer[f] as CsvValue]),
      );
  const flat = records.map((r) => ({ ...context, ...flatten(r, '', {}) }));
  const columns: string[] = [];
  for (const row of flat) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return csvOf(
    columns.map((c) => [c, (row: Record<string, CsvValue>) => row[c]] as const),
    flat,
    undefined,
  );
};
