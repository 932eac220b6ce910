/** Formatting only: amounts arrive in minor units and ratios in basis points; nothing here computes a figure. */
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-US');

export const fmtMoney = (minor: number | null | undefined) => (minor === null || minor === undefined ? '—' : money.format(minor / 100));
export const fmtInt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : whole.format(n));
export const fmtBp = (bp: number | null | undefined) => (bp === null || bp === undefined ? '—' : `${(bp / 100).toFixed(1)} %`);
/** Minor units as a plain number of currency units, for chart axes. */
export const units = (minor: number | null | undefined) => (minor === null || minor === undefined ? null : minor / 100);

export const esc = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The last `count` calendar months before the current one, oldest first (labels for periods, not figures). */
export const lastMonths = (count: number, today = new Date()): string[] => {
  const out: string[] = [];
  for (let k = count; k >= 1; k--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - k, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
};
