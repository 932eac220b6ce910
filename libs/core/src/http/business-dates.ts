import { Inject, Injectable } from '@nestjs/common';
import { BusinessDate } from '@salesline/shared-kernel';
import type { AppConfig } from '../config/config';
import { RequestContext } from '../commands/request-context';
import { APP_CONFIG } from '../nest/tokens';
import { resolveBusinessDate, resolveOptionalBusinessDate, resolvePlannedDate } from './business-date';

/** The configured back-dating window applied to the business dates a request brings. */
@Injectable()
export class BusinessDates {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The given date (checked: a calendar date, not in the future, within the window) or today. */
  on(value: string | undefined, ctx: RequestContext, field: string): BusinessDate {
    return resolveBusinessDate(value, ctx, this.config.settings.backdatingWindowDays, field);
  }

  /** The given date, checked the same way, or undefined (the decider then takes today). */
  optional(value: string | undefined, ctx: RequestContext, field: string): BusinessDate | undefined {
    return resolveOptionalBusinessDate(value, ctx, this.config.settings.backdatingWindowDays, field);
  }

  /** A planned date: checked the same way but it may lie in the future; today when absent. */
  planned(value: string | undefined, ctx: RequestContext, field: string): BusinessDate {
    return resolvePlannedDate(value, ctx, this.config.settings.backdatingWindowDays, field);
  }

  get windowDays(): number {
    return this.config.settings.backdatingWindowDays;
  }
}
