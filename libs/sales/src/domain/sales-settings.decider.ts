import { ruleViolation } from '@salesline/shared-kernel';
import { DEFAULT_SALES_SETTINGS, SalesSettings } from './settings';

/** The company's sales settings are versioned facts (stream `settings-sales`): who changed what, when. */
export const SALES_SETTINGS_STREAM = 'settings-sales';

const bp = (value: number, field: string) => {
  if (!Number.isInteger(value) || value < 0 || value > 10_000)
    throw ruleViolation('InvalidSetting', `${field} must be basis points from 0 to 10000`);
};
const days = (value: number, field: string) => {
  if (!Number.isInteger(value) || value < 0 || value > 3650)
    throw ruleViolation('InvalidSetting', `${field} must be a whole number of days from 0 to 3650`);
};

/** Applies changes to the sales settings and checks the result (InvalidSetting). */
export const mergeSalesSettings = (current: SalesSettings, changes: Partial<SalesSettings>): SalesSettings => {
  const settings: SalesSettings = {
    ...current,
    ...changes,
    maxDiscountBpByRole: { ...current.maxDiscountBpByRole, ...(changes.maxDiscountBpByRole ?? {}) },
  };
  for (const [role, value] of Object.entries(settings.maxDiscountBpByRole)) bp(value ?? 0, `maxDiscountBpByRole.${role}`);
  bp(settings.overDeliveryToleranceBp, 'overDeliveryToleranceBp');
  days(settings.quoteValidityDays, 'quoteValidityDays');
  days(settings.creditReleaseValidityDays, 'creditReleaseValidityDays');
  if (typeof settings.allowConvertExpiredQuote !== 'boolean')
    throw ruleViolation('InvalidSetting', 'allowConvertExpiredQuote must be true or false');
  return settings;
};

export const SALES_SETTINGS = {
  streamName: SALES_SETTINGS_STREAM,
  changedEventType: 'SalesSettingsChanged',
  defaults: DEFAULT_SALES_SETTINGS,
  merge: mergeSalesSettings,
} as const;
