import { validationFailed } from '@salesline/core';
import { BusinessDate, addDays, isBusinessDate } from '@salesline/shared-kernel';

export const assertDateRange = (from: string | undefined, to: string | undefined): void => {
  if (from && !isBusinessDate(from)) throw validationFailed([{ field: 'from', reason: 'from must be a calendar date YYYY-MM-DD' }]);
  if (to && !isBusinessDate(to)) throw validationFailed([{ field: 'to', reason: 'to must be a calendar date YYYY-MM-DD' }]);
  if (from && to && to < from) throw validationFailed([{ field: 'to', reason: 'must not be before from' }]);
};

export const dayBefore = (date: BusinessDate): BusinessDate => addDays(date, -1);
