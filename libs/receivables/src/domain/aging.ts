import { daysBetween } from '@salesline/shared-kernel';

/** Receivables aging by days past due on `asOf`: not yet due (≤ 0) → current; then 1–30, 31–60, 61–90, over 90. */
export type AgingBuckets = { current: number; days1to30: number; days31to60: number; days61to90: number; over90: number; total: number };

export const emptyAging = (): AgingBuckets => ({ current: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0, total: 0 });

export const agingBucketOf = (dueDate: string, asOf: string): Exclude<keyof AgingBuckets, 'total'> => {
  const pastDue = daysBetween(dueDate, asOf);
  if (pastDue <= 0) return 'current';
  if (pastDue <= 30) return 'days1to30';
  if (pastDue <= 60) return 'days31to60';
  if (pastDue <= 90) return 'days61to90';
  return 'over90';
};

export const ageReceivables = (invoices: readonly { openBalance: number; dueDate: string }[], asOf: string): AgingBuckets =>
  invoices.reduce((acc, inv) => {
    if (inv.openBalance === 0) return acc;
    const bucket = agingBucketOf(inv.dueDate, asOf);
    return { ...acc, [bucket]: acc[bucket] + inv.openBalance, total: acc.total + inv.openBalance };
  }, emptyAging());
