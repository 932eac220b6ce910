import { CommandBus } from '@nestjs/cqrs';
import { CommandAccepted, RequestContext, validationFailed } from '@salesline/core';
import { BusinessDate, addDays, isBusinessDate } from '@salesline/shared-kernel';
import { ExecutePerformanceCommand, PerformanceCommandResult, PerformanceTarget } from '../application/performance-commands';

export const execute = (commandBus: CommandBus, target: PerformanceTarget, ctx: RequestContext): Promise<PerformanceCommandResult> =>
  commandBus.execute(new ExecutePerformanceCommand(target, ctx));

/** Sends the command and answers what it accepted: the id it addressed and the position to read it back at. */
export const accept = async (commandBus: CommandBus, target: PerformanceTarget, ctx: RequestContext): Promise<CommandAccepted> => {
  const { position } = await execute(commandBus, target, ctx);
  return { id: target.id, position };
};

/** A calendar date the domain judges (effective dates, deadlines): only its form is checked here. */
export const calendarDate = (value: string | undefined, fallback: BusinessDate, field: string): BusinessDate => {
  if (value === undefined) return fallback;
  if (!isBusinessDate(value)) throw validationFailed([{ field, reason: `${field} must be a calendar date YYYY-MM-DD` }]);
  return value;
};

export const firstOfMonth = (today: BusinessDate): BusinessDate => `${today.slice(0, 7)}-01`;
/** The last month that has ended: the default period of a scorecard. */
export const lastClosedMonth = (today: BusinessDate): string => addDays(firstOfMonth(today), -1).slice(0, 7);

/**
 * The date a new policy or scheme version takes effect: as given (future allowed, never before
 * the back-dating window), or by default from the start of the window for a first version (so it
 * judges all history that can be entered) and from `laterDefault` for the next ones.
 */
export const effectiveDate = (
  value: string | undefined,
  ctx: RequestContext,
  backdatingWindowDays: number,
  isFirstVersion: boolean,
  laterDefault: BusinessDate,
): BusinessDate => {
  const windowStart = addDays(ctx.today, -backdatingWindowDays);
  if (value === undefined) return isFirstVersion ? windowStart : laterDefault;
  if (!isBusinessDate(value))
    throw validationFailed([{ field: 'effectiveFrom', reason: 'effectiveFrom must be a calendar date YYYY-MM-DD' }]);
  if (value < windowStart)
    throw validationFailed([{ field: 'effectiveFrom', reason: `must not be before ${windowStart} (back-dating window)` }]);
  return value;
};
