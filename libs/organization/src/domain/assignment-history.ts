/**
 * Dated organization history of one salesperson (ADR 0201).
 * Intervals are half-open: `from` is the first day, `until` the first day no longer true (null = still true).
 */
import { BusinessDate, compareDates } from '@salesline/shared-kernel';

export type AssignmentInterval = Readonly<{
  teamId: string;
  regionId: string;
  managerId: string;
  from: BusinessDate;
  until: BusinessDate | null;
}>;

export type TerritoryInterval = Readonly<{ territory: string; from: BusinessDate; until: BusinessDate | null }>;

export type Assignment = Readonly<{ teamId: string; regionId: string }>;

const covers = (interval: { from: BusinessDate; until: BusinessDate | null }, date: BusinessDate): boolean =>
  compareDates(interval.from, date) <= 0 && (interval.until === null || compareDates(date, interval.until) < 0);

/** The team and region a salesperson belonged to on a business date; null when not employed that day. */
export const assignmentOn = (history: readonly AssignmentInterval[], date: BusinessDate): Assignment | null => {
  const interval = history.find((i) => covers(i, date));
  return interval ? { teamId: interval.teamId, regionId: interval.regionId } : null;
};

/** The territories assigned to a salesperson on a business date, sorted. */
export const territoriesOn = (history: readonly TerritoryInterval[], date: BusinessDate): string[] =>
  history
    .filter((i) => covers(i, date))
    .map((i) => i.territory)
    .sort();

/** The open (current) interval, if any. */
export const currentAssignment = (history: readonly AssignmentInterval[]): AssignmentInterval | null => {
  const last = history.at(-1);
  return last && last.until === null ? last : null;
};

export const openTerritories = (history: readonly TerritoryInterval[]): TerritoryInterval[] => history.filter((i) => i.until === null);

/** Close every open interval on `until` (exclusive). */
export const closeOpen = <I extends { until: BusinessDate | null }>(history: readonly I[], until: BusinessDate): I[] =>
  history.map((i) => (i.until === null ? { ...i, until } : i));
