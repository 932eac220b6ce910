import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RequestContext, VersionedSettings } from '@salesline/core';
import { SALES_SETTINGS, SalesSettings } from '../domain';

/**
 * The company's current sales settings (price floor discounts, quote validity, over-delivery
 * tolerance, credit-release validity), read from their stream. Deciders never read them:
 * handlers pass the values in with each command.
 */
@Injectable()
export class SalesSettingsService {
  private readonly settings: VersionedSettings<SalesSettings>;

  constructor(@Inject(EVENT_STORE) events: EventStore) {
    this.settings = new VersionedSettings(events, SALES_SETTINGS);
  }

  current(): Promise<SalesSettings> {
    return this.settings.current();
  }

  versioned() {
    return this.settings.versioned();
  }

  change(changes: Partial<SalesSettings>, request: RequestContext) {
    return this.settings.change(changes, request);
  }
}
