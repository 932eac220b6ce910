import { RequestContext, resolveBusinessDate, validationFailed } from '@salesline/core';
import { BusinessDate, addDays, isBusinessDate } from '@salesline/shared-kernel';

/**
 * A business date that may lie in the future (a planned transfer, a known last working day), but not
 * before the back-dating window (ADR 0201). Default today.
 */
export const resolvePlannedDate = (
  value: string | undefined,
  ctx: RequestContext,
  backdatingWindowDays: number,
  field: string,
): BusinessDate => {
  if (value === undefined) return ctx.today;
  if (!isBusinessDate(value)) throw validationFailed([{ field, reason: 'must be a calendar date YYYY-MM-DD' }]);
  if (value > ctx.today) return value;
  return resolveBusinessDate(value, ctx, backdatingWindowDays, field);
};

export const assertDateRange = (from: string | undefined, to: string | undefined): void => {
  if (from && !isBusinessDate(from)) throw validationFailed([{ field: 'from', reason: 'from must be a calendar date YYYY-MM-DD' }]);
  if (to && !isBusinessDate(to)) throw validationFailed([{ field: 'to', reason: 'to must be a calendar date YYYY-MM-DD' }]);
  if (from && to && to < from) throw validationFailed([{ field: 'to', reason: 'must not be before from' }]);
};

export const dayBefore = (date: BusinessDate): BusinessDate => addDays(date, -1);
