/** Appraisal periods: a month 'YYYY-MM' (monthly appraisal) or a year 'YYYY' (year-end appraisal). */
import { BusinessDate, addDays, compareDates, ruleViolation } from '@salesline/shared-kernel';

export type AppraisalKind = 'monthly' | 'year_end';
export type AppraisalPeriod = Readonly<{ label: string; kind: AppraisalKind; start: BusinessDate; end: BusinessDate }>;

const pad = (n: number): string => String(n).padStart(2, '0');
const lastOfMonth = (year: number, month: number): BusinessDate =>
  addDays(month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`, -1);

export const parseAppraisalPeriod = (label: unknown): AppraisalPeriod | null => {
  if (typeof label !== 'string') return null;
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (m) return { label, kind: 'monthly', start: `${label}-01`, end: lastOfMonth(+m[1], +m[2]) };
  m = /^(\d{4})$/.exec(label);
  if (m) return { label, kind: 'year_end', start: `${label}-01-01`, end: `${label}-12-31` };
  return null;
};

export const requireAppraisalPeriod = (label: unknown, kind?: AppraisalKind): AppraisalPeriod => {
  const period = parseAppraisalPeriod(label);
  if (!period) throw ruleViolation('InvalidAppraisalPeriod', `'${String(label)}' is not a period (YYYY-MM or YYYY)`, { period: label });
  if (kind !== undefined && period.kind !== kind)
    throw ruleViolation('InvalidAppraisalPeriod', `A ${kind} appraisal needs a ${kind === 'monthly' ? 'YYYY-MM' : 'YYYY'} period`, {
      period: label,
      kind,
    });
  return period;
};

/** The period just before: the previous month or the previous year. */
export const previousPeriod = (period: AppraisalPeriod): AppraisalPeriod => {
  const before = addDays(period.start, -1);
  return requireAppraisalPeriod(period.kind === 'monthly' ? before.slice(0, 7) : before.slice(0, 4));
};

/** The twelve months of a year period. */
export const monthsOf = (year: AppraisalPeriod): string[] =>
  Array.from({ length: 12 }, (_, i) => `${year.label.slice(0, 4)}-${pad(i + 1)}`);

export const isWithin = (period: Pick<AppraisalPeriod, 'start' | 'end'>, date: BusinessDate): boolean =>
  compareDates(period.start, date) <= 0 && compareDates(date, period.end) <= 0;
