import { addDays, BusinessDate, isBusinessDate } from '@salesline/shared-kernel';
import { RequestContext } from '../commands/request-context';
import { validationFailed } from './errors';

/**
 * A document's business date: today unless the caller gives one, which may lie at most
 * `backdatingWindowDays` in the past and never in the future (history is entered as it happened).
 */
export const resolveBusinessDate = (
  value: string | undefined,
  request: RequestContext,
  backdatingWindowDays: number,
  field: string,
): BusinessDate => {
  if (value === undefined) return request.today;
  if (!isBusinessDate(value)) throw validationFailed([{ field, reason: 'must be a calendar date YYYY-MM-DD' }]);
  if (value > request.today) throw validationFailed([{ field, reason: `must not be after today (${request.today})` }]);
  const earliest = addDays(request.today, -backdatingWindowDays);
  if (value < earliest) {
    throw validationFailed([{ field, reason: `must not be before ${earliest} (back-dating window of ${backdatingWindowDays} days)` }]);
  }
  return value;
};

/** Like `resolveBusinessDate`, but an absent date stays absent (the decider then takes today). */
export const resolveOptionalBusinessDate = (
  value: string | undefined,
  request: RequestContext,
  backdatingWindowDays: number,
  field: string,
): BusinessDate | undefined => (value === undefined ? undefined : resolveBusinessDate(value, request, backdatingWindowDays, field));

/**
 * A planned business date (a transfer, a known last working day, a meeting being scheduled): checked
 * like `resolveBusinessDate`, and today when absent, but it may lie in the future (ADR 0201, 0026). Absent
 * means today for every business date a request brings: a route whose date is required says so in
 * its body DTO (400 before any command), so this resolver never has to guess.
 */
export const resolvePlannedDate = (
  value: string | undefined,
  request: RequestContext,
  backdatingWindowDays: number,
  field: string,
): BusinessDate =>
  value !== undefined && isBusinessDate(value) && value > request.today
    ? value
    : resolveBusinessDate(value, request, backdatingWindowDays, field);
