import { Inject, Injectable } from '@nestjs/common';
import { commandContextOf, EVENT_STORE, EventStore, executeCommand, loadState, RequestContext } from '@salesline/core';
import { SALES_SETTINGS_STREAM, SalesSettings, salesSettingsDecider, SalesSettingsState } from '../domain';

/**
 * The company's current sales settings (price floor discounts, quote validity, over-delivery
 * tolerance, credit-release validity), read from their stream. Deciders never read them:
 * handlers pass the values in with each command.
 */
@Injectable()
export class SalesSettingsService {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async current(): Promise<SalesSettings> {
    return (await this.versioned()).settings;
  }

  async versioned(): Promise<SalesSettingsState> {
    return (await loadState(this.events, SALES_SETTINGS_STREAM, salesSettingsDecider)).state;
  }

  async change(changes: Partial<SalesSettings>, request: RequestContext) {
    const result = await executeCommand(this.events, {
      streamName: SALES_SETTINGS_STREAM,
      decider: salesSettingsDecider,
      command: { type: 'ChangeSalesSettings', data: { changes }, context: commandContextOf(request) },
      request,
    });
    return { ...result.state, position: result.position };
  }
}
