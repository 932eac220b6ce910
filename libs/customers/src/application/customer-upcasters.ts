import type { EventMetadata, Upcaster } from '@salesline/core';

/**
 * Customer events are written at schema version 2, with the business date of their fact. Version 1
 * events (before ADR 0115) lacked it: they read with the day they were recorded, which is the date the
 * server gave them then (the command could not be back-dated).
 */
export const CUSTOMER_SCHEMA_VERSION = 2;

const recordingDay = (metadata: EventMetadata) => metadata.occurredAt.slice(0, 10);
const dated = (type: string, field: string): Upcaster => ({
  type,
  fromVersion: 1,
  upcast: (data: Record<string, unknown>, metadata) => ({ ...data, [field]: data[field] ?? recordingDay(metadata) }),
});

export const customerUpcasters: Upcaster[] = [
  dated('CustomerDetailsChanged', 'changedOn'),
  dated('CreditLimitChanged', 'changedOn'),
  dated('CustomerBlocked', 'blockedOn'),
  dated('CustomerUnblocked', 'unblockedOn'),
];
