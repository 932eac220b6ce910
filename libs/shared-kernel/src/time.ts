/** Business dates are calendar days, 'YYYY-MM-DD', independent of the time of the write. */
export type BusinessDate = string;

/** The shape of a business date, YYYY-MM-DD (request validation; `isBusinessDate` also checks the calendar). */
export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isBusinessDate = (value: unknown): value is BusinessDate => {
  if (typeof value !== 'string') return false;
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toISOString().slice(0, 10) === value;
};

const toUtc = (date: BusinessDate): number => Date.parse(`${date}T00:00:00Z`);
const DAY_MS = 86_400_000;

export const addDays = (date: BusinessDate, days: number): BusinessDate => new Date(toUtc(date) + days * DAY_MS).toISOString().slice(0, 10);

/** Whole days from `from` to `to` (positive when `to` is later). */
export const daysBetween = (from: BusinessDate, to: BusinessDate): number => Math.round((toUtc(to) - toUtc(from)) / DAY_MS);

/** The business date of an instant, in UTC (the company calendar). */
export const businessDateOf = (isoInstant: string): BusinessDate => new Date(isoInstant).toISOString().slice(0, 10);

/** 'YYYY-MM' of a business date. */
export const monthOf = (date: BusinessDate): string => date.slice(0, 7);

export const compareDates = (a: BusinessDate, b: BusinessDate): number => (a < b ? -1 : a > b ? 1 : 0);
