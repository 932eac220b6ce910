import { ruleViolation } from '@salesline/shared-kernel';

/** Company settings the organization deciders read (they arrive in commands; ADR 0202). */
export type OrganizationSettings = Readonly<{
  /** Calendar days an objection may stay unresolved before it escalates to the administrative department. */
  territoryEscalationDays: number;
}>;

export const DEFAULT_ORGANIZATION_SETTINGS: OrganizationSettings = { territoryEscalationDays: 10 };

export const validateOrganizationSettings = (settings: OrganizationSettings): OrganizationSettings => {
  const days = settings.territoryEscalationDays;
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw ruleViolation('InvalidSetting', 'territoryEscalationDays must be an integer between 1 and 365', {
      key: 'territoryEscalationDays',
      value: days,
    });
  return settings;
};

/** Versioned in stream `settings-organization` (OrganizationSettingsChanged). */
export const ORGANIZATION_SETTINGS = {
  streamName: 'settings-organization',
  changedEventType: 'OrganizationSettingsChanged',
  defaults: DEFAULT_ORGANIZATION_SETTINGS,
  merge: (current: OrganizationSettings, changes: Partial<OrganizationSettings>) =>
    validateOrganizationSettings({ ...current, ...changes }),
} as const;
