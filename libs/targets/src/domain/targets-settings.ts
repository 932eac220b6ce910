import { ruleViolation } from '@salesline/shared-kernel';

/** Which document measures revenue, quantity and margin against the target (ADR 0207). */
export type RevenueBasis = 'booked' | 'delivered' | 'invoiced' | 'collected';
export const REVENUE_BASES: readonly RevenueBasis[] = ['booked', 'delivered', 'invoiced', 'collected'];

/** Company settings the targets deciders and calculations read; they arrive with the command or the call. */
export type TargetsSettings = Readonly<{
  /** What to do when a sales expense takes a region or person over their budget (ADR 0205). */
  salesExpenseOverBudget: 'warn' | 'block';
  /** Which document counts as revenue for achievement and forecast (ADR 0207). */
  revenueBasis: RevenueBasis;
}>;

export const DEFAULT_TARGETS_SETTINGS: TargetsSettings = { salesExpenseOverBudget: 'warn', revenueBasis: 'invoiced' };

export const validateTargetsSettings = (settings: TargetsSettings): TargetsSettings => {
  if (settings.salesExpenseOverBudget !== 'warn' && settings.salesExpenseOverBudget !== 'block')
    throw ruleViolation('InvalidSetting', "salesExpenseOverBudget must be 'warn' or 'block'", { key: 'salesExpenseOverBudget' });
  if (!REVENUE_BASES.includes(settings.revenueBasis))
    throw ruleViolation('InvalidSetting', `revenueBasis must be one of ${REVENUE_BASES.join(', ')}`, { key: 'revenueBasis' });
  return settings;
};

/** Versioned in stream `settings-targets` (TargetsSettingsChanged). */
export const TARGETS_SETTINGS = {
  streamName: 'settings-targets',
  changedEventType: 'TargetsSettingsChanged',
  defaults: DEFAULT_TARGETS_SETTINGS,
  merge: (current: TargetsSettings, changes: Partial<TargetsSettings>) => validateTargetsSettings({ ...current, ...changes }),
} as const;
