import { BusinessDate, addDays, compareDates, daysBetween } from '@salesline/shared-kernel';

/** The first business date on which an unresolved objection escalates (ADR 0202). */
export const escalationDueOn = (raisedOn: BusinessDate, escalationDays: number): BusinessDate => addDays(raisedOn, escalationDays);

/** An objection escalates once `escalationDays` calendar days have passed since it was raised. */
export const isEscalationDue = (raisedOn: BusinessDate, today: BusinessDate, escalationDays: number): boolean =>
  compareDates(today, escalationDueOn(raisedOn, escalationDays)) >= 0;

export const daysOpen = (raisedOn: BusinessDate, today: BusinessDate): number => daysBetween(raisedOn, today);
