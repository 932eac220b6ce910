import { Injectable } from '@nestjs/common';
import { DEFAULT_SALES_SETTINGS, SalesSettings } from '../domain';

/**
 * The company's current sales settings (price floor discounts, quote validity, over-delivery
 * tolerance, credit-release validity). Deciders never read them: handlers pass the values in.
 */
@Injectable()
export class SalesSettingsService {
  async current(): Promise<SalesSettings> {
    return DEFAULT_SALES_SETTINGS;
  }
}
