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
