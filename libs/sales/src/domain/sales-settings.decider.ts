import { Command, Decider, DomainEvent, hasAnyRole, forbidden, ruleViolation } from '@salesline/shared-kernel';
import { DEFAULT_SALES_SETTINGS, SalesSettings } from './settings';

/** The company's sales settings are versioned facts too (stream `settings-sales`): who changed what, when. */
export const SALES_SETTINGS_STREAM = 'settings-sales';

export type SalesSettingsChanged = DomainEvent<'SalesSettingsChanged', { settings: SalesSettings; version: number }>;
export type ChangeSalesSettings = Command<'ChangeSalesSettings', { changes: Partial<SalesSettings> }>;
export type SalesSettingsState = { version: number; settings: SalesSettings };

const bp = (value: number, field: string) => {
  if (!Number.isInteger(value) || value < 0 || value > 10_000) throw ruleViolation('InvalidSetting', `${field} must be basis points from 0 to 10000`);
};
const days = (value: number, field: string) => {
  if (!Number.isInteger(value) || value < 0 || value > 3650) throw ruleViolation('InvalidSetting', `${field} must be a whole number of days from 0 to 3650`);
};

export const salesSettingsDecider: Decider<SalesSettingsState, ChangeSalesSettings, SalesSettingsChanged> = {
  initialState: () => ({ version: 0, settings: DEFAULT_SALES_SETTINGS }),
  decide: (command, state) => {
    if (!hasAnyRole(command.context.actor, 'admin')) throw forbidden('SettingsChangeForbidden', 'Only an admin may change the sales settings');
    const settings: SalesSettings = {
      ...state.settings,
      ...command.data.changes,
      maxDiscountBpByRole: { ...state.settings.maxDiscountBpByRole, ...(command.data.changes.maxDiscountBpByRole ?? {}) },
    };
    for (const [role, value] of Object.entries(settings.maxDiscountBpByRole)) bp(value ?? 0, `maxDiscountBpByRole.${role}`);
    bp(settings.overDeliveryToleranceBp, 'overDeliveryToleranceBp');
    days(settings.quoteValidityDays, 'quoteValidityDays');
    days(settings.creditReleaseValidityDays, 'creditReleaseValidityDays');
    if (typeof settings.allowConvertExpiredQuote !== 'boolean') throw ruleViolation('InvalidSetting', 'allowConvertExpiredQuote must be true or false');
    if (JSON.stringify(settings) === JSON.stringify(state.settings)) return [];
    return [{ type: 'SalesSettingsChanged', data: { settings, version: state.version + 1 } }];
  },
  evolve: (_state, event) => ({ version: event.data.version, settings: event.data.settings }),
};
