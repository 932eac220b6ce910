/**
 * Reporting and planning periods: a month 'YYYY-MM', a quarter 'YYYY-Qn' or a year 'YYYY'.
 * Months are numbered 1..12 within the period's year.
 */
import { BusinessDate, addDays, compareDates, daysBetween, isBusinessDate, ruleViolation } from '@salesline/shared-kernel';

/** A business date given by the caller (never in the future), or today; `code` names the refusal. */
export const businessDateOr = (value: BusinessDate | undefined, today: BusinessDate, field: string, code: string): BusinessDate => {
  if (value === undefined) return today;
  if (!isBusinessDate(value) || compareDates(value, today) > 0)
    throw ruleViolation(code, `${field} must be a date YYYY-MM-DD, not in the future`, { field });
  return value;
};

export type PeriodKind = 'month' | 'quarter' | 'year';
export type Period = Readonly<{
  label: string;
  kind: PeriodKind;
  year: number;
  /** Months covered, 1..12. */
  months: readonly number[];
  /** First and last day, inclusive. */
  start: BusinessDate;
  end: BusinessDate;
}>;

const pad = (n: number): string => String(n).padStart(2, '0');
const firstOfMonth = (year: number, month: number): BusinessDate => `${year}-${pad(month)}-01`;
const lastOfMonth = (year: number, month: number): BusinessDate =>
  addDays(month === 12 ? firstOfMonth(year + 1, 1) : firstOfMonth(year, month + 1), -1);

const build = (label: string, kind: PeriodKind, year: number, months: number[]): Period => ({
  label,
  kind,
  year,
  months,
  start: firstOfMonth(year, months[0]),
  end: lastOfMonth(year, months[months.length - 1]),
});

/** Parse a period label; null when it is not one. */
export const parsePeriod = (label: string): Period | null => {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (m) return build(label, 'month', +m[1], [+m[2]]);
  m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (m) {
    const q = +m[2];
    return build(label, 'quarter', +m[1], [3 * q - 2, 3 * q - 1, 3 * q]);
  }
  m = /^(\d{4})$/.exec(label);
  if (m) return build(label, 'year', +m[1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  return null;
};

export const requirePeriod = (label: string, code = 'InvalidPeriod'): Period => {
  const period = typeof label === 'string' ? parsePeriod(label) : null;
  if (!period) throw ruleViolation(code, `'${label}' is not a period (YYYY-MM, YYYY-Qn or YYYY)`, { period: label });
  return period;
};

export const isWithin = (period: Period, date: BusinessDate): boolean =>
  compareDates(period.start, date) <= 0 && compareDates(date, period.end) <= 0;

/** Calendar days in the period. */
export const periodDays = (period: Period): number => daysBetween(period.start, period.end) + 1;

/** Calendar days of the period elapsed up to and including `asOf` (0 before it starts, all after it ends). */
export const elapsedDays = (period: Period, asOf: BusinessDate): number =>
  Math.max(0, Math.min(periodDays(period), daysBetween(period.start, asOf) + 1));

export const monthOfDate = (date: BusinessDate): number => +date.slice(5, 7);
export const yearOfDate = (date: BusinessDate): number => +date.slice(0, 4);
