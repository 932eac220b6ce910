/**
 * The benchmark's figures: each is printed as it is measured, with its ratio to the reference
 * measured in the same run (absolute timings on a shared machine are noise; ratios are not).
 */
export type Row = { section: string; what: string; value: string; reference: string; ratio: string; goal: string };

export const rows: Row[] = [];

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${fmt(a / b, 2)}×`);

export const record = (row: Row) => {
  rows.push(row);
  console.log(
    `${row.section.padEnd(12)} ${row.what.padEnd(64)} ${row.value.padStart(16)}  ref ${row.reference.padEnd(36)} ${row.ratio.padStart(8)}  ${row.goal}`,
  );
};

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export const timeIt = async (fn: () => Promise<unknown> | unknown): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

type CannonResult = {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
  timeouts: number;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<CannonResult>;

/** autocannon in this process: `connections` loop on GET `path` for `seconds`; req/s, p50, p99 and failures. */
export const loadGet = async (base: string, path: string, seconds: number, connections: number, headers: Record<string, string>) => {
  const result = await autocannon({ url: base, connections, duration: seconds, headers, requests: [{ method: 'GET', path }] });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.non2xx + result.timeouts,
  };
};
